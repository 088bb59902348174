//! The meeting's policy guide as a use case: built from the data (`crate::guide`), and written to
//! a file atomically for `refresh --guide`.

use super::Data;
use crate::guide::{self, Guide, GuideQuery};
use crate::rank::Vocabulary;
use crate::render::guide::{self as render, Format};
use crate::{Error, Result};
use std::path::Path;

/// The guide for `q`, stamped with the current time (`WGREC_NOW` fixes it).
pub fn guide(data: &Data, q: &GuideQuery) -> Result<Guide> {
    let vocab = Vocabulary::builtin()?;
    guide::build(&data.snapshot, &data.index, &vocab, q, crate::clock::now())
}

/// Writes the guide of `meeting` to `path` in the format its extension names (`.html`, `.json`,
/// else Markdown), atomically: a reader sees the previous guide or the new one, never half.
pub fn write_file(data: &Data, meeting: u32, path: &Path) -> Result<Format> {
    let g = guide(
        data,
        &GuideQuery {
            meeting: Some(meeting),
            since: None,
        },
    )?;
    let format = Format::for_path(path);
    let mut bytes = Vec::new();
    render::render(&g, format, &mut bytes)
        .map_err(|e| Error::io(format!("rendering the guide for {}", path.display()), e))?;
    crate::atomic::write(path, &bytes)?;
    Ok(format)
}
