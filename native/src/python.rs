//! The Python module `normalise._native`.

use std::collections::{HashMap, HashSet};

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

use crate::keys;
use crate::screen::{Role, Screen, Switches, Target};

/// The run screen of one index (`normalise.screen.native_screen` builds it).
#[pyclass(name = "Screen", module = "normalise._native", frozen)]
struct PyScreen {
    inner: Screen,
}

#[pymethods]
impl PyScreen {
    /// Every argument is a plain Python value read off `normalise.index.Index`.
    #[new]
    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (
        keep_case, exact, compact_canonical, targets, fuzzy, sound, translit, surnames,
        extra, word_counts, max_compact, zipf, hopeless, switches
    ))]
    fn new(
        keep_case: HashSet<String>,
        exact: HashMap<String, (String, String)>,
        compact_canonical: HashSet<String>,
        targets: Vec<(String, String, String, String, String)>,
        fuzzy: HashMap<String, Vec<u32>>,
        sound: HashMap<String, Vec<u32>>,
        translit: HashMap<String, Vec<u32>>,
        surnames: HashSet<String>,
        extra: HashSet<String>,
        word_counts: HashSet<usize>,
        max_compact: usize,
        zipf: HashMap<String, f64>,
        hopeless: Vec<Vec<bool>>,
        switches: (bool, bool, bool, bool, usize, usize, f64, usize),
    ) -> PyResult<Self> {
        let mut roles = HashMap::with_capacity(exact.len());
        for (key, (canonical, role)) in exact {
            let role = match role.as_str() {
                "canonical" => Role::Canonical,
                "alias" => Role::Alias,
                "keep" => Role::Keep,
                other => return Err(PyValueError::new_err(format!("unknown role {other:?}"))),
            };
            roles.insert(key, (canonical, role));
        }
        if hopeless.len() != 5 || hopeless.iter().any(|row| row.len() != 12) {
            return Err(PyValueError::new_err(
                "hopeless: 5 rows of 12 lengths expected",
            ));
        }
        let targets = targets
            .into_iter()
            .map(|(compact, phonetic, sound, translit, digits)| Target {
                compact,
                phonetic,
                sound,
                translit,
                digits,
            })
            .collect();
        let (case, aliases, phonetic, edit, min_fuzzy_length, min_edit_length, common, max_words) =
            switches;
        Ok(Self {
            inner: Screen {
                keep_case,
                exact: roles,
                compact_canonical,
                targets,
                fuzzy,
                sound,
                translit,
                surnames,
                extra,
                word_counts,
                max_compact,
                zipf,
                hopeless,
                switches: Some(Switches {
                    case,
                    aliases,
                    phonetic,
                    edit,
                    min_fuzzy_length,
                    min_edit_length,
                    common_word_zipf: common,
                    max_words,
                }),
            },
        })
    }

    /// False only when no span of `run` can be a change.
    fn maybe(&self, run: &str) -> bool {
        self.inner.maybe(run)
    }
}

fn ascii(text: &str) -> PyResult<&str> {
    if text.is_ascii() {
        Ok(text)
    } else {
        Err(PyValueError::new_err(
            "the native key functions take ASCII text only",
        ))
    }
}

#[pyfunction]
fn fold(text: &str) -> PyResult<String> {
    Ok(keys::fold(ascii(text)?))
}

#[pyfunction]
fn compact(text: &str) -> PyResult<String> {
    Ok(keys::compact(ascii(text)?))
}

#[pyfunction]
fn metaphone(word: &str) -> PyResult<String> {
    Ok(keys::metaphone(ascii(word)?))
}

#[pyfunction]
fn phonetic(compact_text: &str) -> PyResult<String> {
    Ok(keys::phonetic(ascii(compact_text)?))
}

#[pyfunction]
fn sound_key(compact_text: &str) -> PyResult<String> {
    Ok(keys::sound_key(ascii(compact_text)?))
}

#[pyfunction]
fn translit_key(compact_text: &str) -> PyResult<String> {
    Ok(keys::translit_key(ascii(compact_text)?))
}

#[pyfunction]
fn osa(a: &str, b: &str) -> PyResult<usize> {
    Ok(keys::osa(ascii(a)?.as_bytes(), ascii(b)?.as_bytes()))
}

#[pyfunction]
fn ending(a: &str, b: &str) -> PyResult<&'static str> {
    Ok(keys::ending(ascii(a)?.as_bytes(), ascii(b)?.as_bytes()))
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyScreen>()?;
    m.add_function(wrap_pyfunction!(fold, m)?)?;
    m.add_function(wrap_pyfunction!(compact, m)?)?;
    m.add_function(wrap_pyfunction!(metaphone, m)?)?;
    m.add_function(wrap_pyfunction!(phonetic, m)?)?;
    m.add_function(wrap_pyfunction!(sound_key, m)?)?;
    m.add_function(wrap_pyfunction!(translit_key, m)?)?;
    m.add_function(wrap_pyfunction!(osa, m)?)?;
    m.add_function(wrap_pyfunction!(ending, m)?)?;
    m.add("VERSION", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
