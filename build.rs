//! Names the commit vdc is built from in `vdc --version` (`0.1.0 (abc1234)`), when the source is
//! a git checkout and git is on PATH; otherwise the version is the package's alone, so a build
//! from a source archive or without git still works.

use std::path::PathBuf;
use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    (out.status.success() && !text.trim().is_empty()).then(|| text.trim().to_owned())
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=VDC_BUILD_COMMIT");
    let version = env!("CARGO_PKG_VERSION");
    let commit = std::env::var("VDC_BUILD_COMMIT")
        .ok()
        .filter(|c| !c.is_empty())
        .or_else(|| git(&["rev-parse", "--short", "HEAD"]));
    match commit {
        Some(commit) => println!("cargo:rustc-env=VDC_VERSION={version} ({commit})"),
        None => println!("cargo:rustc-env=VDC_VERSION={version}"),
    }
    // Build again when HEAD moves: HEAD itself, the branch it names, and packed refs. Only files
    // that exist are named, since cargo reruns a build script whose named file is missing.
    let (Some(git_dir), Some(common)) = (
        git(&["rev-parse", "--git-dir"]),
        git(&["rev-parse", "--git-common-dir"]),
    ) else {
        return;
    };
    let mut watched = vec![
        PathBuf::from(&git_dir).join("HEAD"),
        PathBuf::from(&common).join("packed-refs"),
    ];
    if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
        watched.push(PathBuf::from(&common).join(branch));
    }
    for path in watched.iter().filter(|p| p.is_file()) {
        println!("cargo:rerun-if-changed={}", path.display());
    }
}
