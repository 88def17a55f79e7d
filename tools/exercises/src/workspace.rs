//! What the workspace contains, read from `cargo metadata`: packages, their
//! binaries, examples, test targets and features. The book checks compare
//! every `cargo` command on a page against it, and `cargo ex` reads the
//! exercise lists from the packages' metadata.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use anyhow::Context;

/// The cargo that runs us (cargo sets `$CARGO` for `cargo run` and for
/// tests), so nested builds use the same toolchain.
pub fn cargo_binary() -> OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

/// One workspace member.
#[derive(Debug, Clone, Default)]
pub struct Package {
    pub name: String,
    /// The directory holding its `Cargo.toml`.
    pub dir: PathBuf,
    pub bins: Vec<String>,
    pub examples: Vec<String>,
    pub tests: Vec<String>,
    pub features: Vec<String>,
    /// `[package.metadata]`, where chapters list their exercises.
    pub metadata: serde_json::Value,
}

/// The workspace members, in `cargo metadata` order.
#[derive(Debug, Clone, Default)]
pub struct Workspace {
    pub root: PathBuf,
    pub packages: Vec<Package>,
}

impl Workspace {
    /// Reads the workspace at `root` with `cargo metadata --no-deps`.
    pub fn load(root: &Path) -> anyhow::Result<Workspace> {
        let metadata = cargo_metadata::MetadataCommand::new()
            .cargo_path(cargo_binary())
            .manifest_path(root.join("Cargo.toml"))
            .no_deps()
            .exec()
            .with_context(|| format!("`cargo metadata` failed in {}", root.display()))?;
        let members = metadata.workspace_members.clone();
        let packages = metadata
            .packages
            .into_iter()
            .filter(|p| members.contains(&p.id))
            .map(|p| {
                let targets = |kind: cargo_metadata::TargetKind| -> Vec<String> {
                    p.targets
                        .iter()
                        .filter(|t| t.kind.contains(&kind))
                        .map(|t| t.name.clone())
                        .collect()
                };
                Package {
                    name: p.name.to_string(),
                    dir: p
                        .manifest_path
                        .parent()
                        .map(|d| d.as_std_path().to_path_buf())
                        .unwrap_or_default(),
                    bins: targets(cargo_metadata::TargetKind::Bin),
                    examples: targets(cargo_metadata::TargetKind::Example),
                    tests: targets(cargo_metadata::TargetKind::Test),
                    features: p.features.keys().cloned().collect(),
                    metadata: p.metadata.clone(),
                }
            })
            .collect();
        Ok(Workspace {
            root: metadata.workspace_root.into_std_path_buf(),
            packages,
        })
    }

    pub fn package(&self, name: &str) -> Option<&Package> {
        self.packages.iter().find(|p| p.name == name)
    }
}
