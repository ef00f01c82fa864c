//! Weights that must sum to 100, as Istio requires: a route's destinations and a
//! FailoverPolicy locality mapping's targets. Completed and checked here alone, so the check
//! (VDC603) and the weights written out cannot disagree.

/// Why a list of weights cannot sum to 100.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WeightProblem {
    /// The given weights are more than 100.
    Over100 { sum: u32 },
    /// Every entry is weighted, and the weights are not 100.
    NotExactly100 { sum: u32 },
    /// What is left of 100 is less than 1 for each unweighted entry.
    TooLittleLeft { sum: u32, unweighted: u32 },
}

/// A list of weights, completed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Weights {
    /// One weight per entry: the given ones kept, the rest of 100 shared by the others.
    pub completed: Vec<u32>,
    /// Why `completed` does not sum to 100; `None` when it does.
    pub problem: Option<WeightProblem>,
}

/// Weights completed to 100: given ones kept, what is left of 100 shared by the unweighted
/// entries (earlier entries get the odd points), with the problem when they cannot sum to 100.
pub fn complete_weights(given: &[Option<u32>]) -> Weights {
    let sum: u32 = given.iter().flatten().sum();
    let unweighted = given.iter().filter(|w| w.is_none()).count() as u32;
    let problem = if sum > 100 {
        Some(WeightProblem::Over100 { sum })
    } else if unweighted == 0 && sum != 100 {
        Some(WeightProblem::NotExactly100 { sum })
    } else if unweighted > 0 && 100 - sum < unweighted {
        Some(WeightProblem::TooLittleLeft { sum, unweighted })
    } else {
        None
    };
    let rest = 100u32.saturating_sub(sum);
    let mut extra = if unweighted > 0 { rest % unweighted } else { 0 };
    let completed = given
        .iter()
        .map(|w| match w {
            Some(w) => *w,
            None => {
                let bonus = u32::from(extra > 0);
                extra = extra.saturating_sub(1);
                rest / unweighted + bonus
            }
        })
        .collect();
    Weights { completed, problem }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn completed(given: &[Option<u32>]) -> Vec<u32> {
        let weights = complete_weights(given);
        assert_eq!(weights.problem, None, "{given:?}");
        weights.completed
    }

    #[test]
    fn weights_always_sum_to_100() {
        assert_eq!(completed(&[Some(75), None]), [75, 25]);
        assert_eq!(completed(&[None, None, None]), [34, 33, 33]);
        assert_eq!(completed(&[Some(50), None, None, None]), [50, 17, 17, 16]);
        assert_eq!(completed(&[Some(60), Some(40)]), [60, 40]);
    }

    #[test]
    fn weights_that_cannot_sum_to_100_say_why() {
        let problem = |given: &[Option<u32>]| complete_weights(given).problem;
        assert_eq!(
            problem(&[Some(80), Some(30)]),
            Some(WeightProblem::Over100 { sum: 110 })
        );
        assert_eq!(
            problem(&[Some(80), Some(10)]),
            Some(WeightProblem::NotExactly100 { sum: 90 })
        );
        assert_eq!(
            problem(&[Some(99), None, None]),
            Some(WeightProblem::TooLittleLeft {
                sum: 99,
                unweighted: 2
            })
        );
    }
}
