//! The run screen of `normalise/screen.py`, for runs of ASCII text.
//!
//! `Screen::maybe` is false only when no span of a run can be a change; the name pass
//! then decides the run as `()` without the matcher. It asks what the matcher asks
//! first (exact and compact names, the cheap guards, the fuzzy index's keys) and then
//! the candidate filters of the comparisons (digits, the similarity floor, derived
//! endings, some sound evidence, the method's switch), and leaves out only the checks
//! that can only remove a candidate (resegmentation, other entities' words), so that it
//! never says "no" where the matcher would find something. A run with any non-ASCII
//! character is "maybe": the Python reference decides it.

use std::collections::{HashMap, HashSet};

use crate::keys;

/// The role of a folded name in the table's exact index.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Role {
    Canonical,
    Alias,
    Keep,
}

/// A fuzzy target: what the candidate filters read of it.
#[derive(Clone, Debug)]
pub struct Target {
    pub compact: String,
    pub phonetic: String,
    pub sound: String,
    pub translit: String,
    pub digits: String,
}

/// The switches and numbers of `Settings` that the screen reads.
#[derive(Clone, Copy, Debug)]
pub struct Switches {
    pub case: bool,
    pub aliases: bool,
    pub phonetic: bool,
    pub edit: bool,
    pub min_fuzzy_length: usize,
    pub min_edit_length: usize,
    pub common_word_zipf: f64,
    pub max_words: usize,
}

pub const LONG_RUN: usize = 40;
const MIN_TRANSLIT_KEY: usize = 3;
const CONNECTORS: [&str; 26] = [
    "of", "and", "the", "on", "upon", "for", "y", "de", "del", "della", "da", "do", "dos", "das",
    "du", "des", "la", "le", "van", "von", "der", "den", "al", "el", "bin", "ibn",
];

/// Everything the screen knows of one index (table and settings).
#[derive(Default, Debug)]
pub struct Screen {
    pub keep_case: HashSet<String>,
    pub exact: HashMap<String, (String, Role)>,
    pub compact_canonical: HashSet<String>,
    pub targets: Vec<Target>,
    pub fuzzy: HashMap<String, Vec<u32>>,
    pub sound: HashMap<String, Vec<u32>>,
    pub translit: HashMap<String, Vec<u32>>,
    pub surnames: HashSet<String>,
    pub extra: HashSet<String>,
    pub word_counts: HashSet<usize>,
    pub max_compact: usize,
    pub zipf: HashMap<String, f64>,
    /// `Index.hopeless_level`: rows by frequency level, columns by letters 0 to 11.
    pub hopeless: Vec<Vec<bool>>,
    pub switches: Option<Switches>,
}

/// One word of a run, as `scan.tokens` gives it.
#[derive(Clone, Copy, Debug)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub startable: bool,
    pub connector: bool,
}

/// `scan.tokens` of an ASCII run: words of letters and digits, joined by apostrophes.
pub fn tokens(run: &str) -> Vec<Token> {
    let b = run.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_alphanumeric() {
            i += 1;
            continue;
        }
        let start = i;
        loop {
            while i < b.len() && b[i].is_ascii_alphanumeric() {
                i += 1;
            }
            if i + 1 < b.len() && b[i] == b'\'' && b[i + 1].is_ascii_alphanumeric() {
                i += 1;
                continue;
            }
            break;
        }
        let word = &run[start..i];
        let connector = start > 0 && b[start - 1] == b' ' && CONNECTORS.contains(&word);
        let startable = !connector && word.bytes().any(|c| c.is_ascii_uppercase());
        out.push(Token {
            start,
            end: i,
            startable,
            connector,
        });
    }
    out
}

fn frequency_row(zipf: f64) -> usize {
    // The levels of comparisons.frequency_level, in order.
    if zipf < 1.0 {
        0
    } else if zipf < 2.0 {
        1
    } else if zipf < 3.0 {
        2
    } else if zipf < 4.0 {
        3
    } else {
        4
    }
}

impl Screen {
    fn zipf_of(&self, word: &str) -> f64 {
        self.zipf.get(word).copied().unwrap_or(0.0)
    }

    /// False only when no span of `run` can be a change (see the module docs).
    pub fn maybe(&self, run: &str) -> bool {
        let Some(s) = self.switches else {
            return true;
        };
        if !run.is_ascii() {
            return true;
        }
        let words = tokens(run);
        let n = words.len();
        let long_run = n > LONG_RUN;
        for i in 0..n {
            if !words[i].startable {
                continue;
            }
            for j in ((i + 1)..=n.min(i + s.max_words)).rev() {
                let last = words[j - 1];
                if last.connector {
                    continue;
                }
                let span = &run[words[i].start..last.end];
                let fuzzy = !(long_run && j - i > 1);
                if self.span_maybe(run, span, &words[i..j], fuzzy, &s) {
                    return true;
                }
            }
        }
        false
    }

    fn span_maybe(
        &self,
        run: &str,
        span: &str,
        words: &[Token],
        fuzzy: bool,
        s: &Switches,
    ) -> bool {
        if self.keep_case.contains(span) {
            return false;
        }
        if let Some((canonical, role)) = self.exact.get(&keys::fold(span)) {
            if span == canonical || *role == Role::Keep {
                return false;
            }
            if *role == Role::Canonical {
                return s.case;
            }
            if s.aliases {
                return true;
            }
        }
        let c = keys::compact(span);
        if c.is_empty() {
            return false;
        }
        if self.compact_canonical.contains(&c) {
            return true;
        }
        if !fuzzy || !(s.phonetic || s.edit) {
            return false;
        }
        if c.len() < s.min_fuzzy_length || c.len() > 2 * self.max_compact {
            return false;
        }
        if !c.bytes().any(|b| b.is_ascii_alphabetic()) {
            return false;
        }
        let folded: Vec<String> = words
            .iter()
            .filter(|w| !w.connector)
            .map(|w| keys::fold(&run[w.start..w.end]))
            .collect();
        if folded.len() == 1 {
            let row = frequency_row(self.zipf_of(&folded[0]));
            if self.hopeless[row][c.len().min(11)] || self.surnames.contains(&c) {
                return false;
            }
        } else if folded.iter().all(|w| self.zipf_of(w) >= s.common_word_zipf) {
            return false;
        }
        if self.extra.contains(&c) {
            return false;
        }
        let k = folded.len();
        if !(self.word_counts.contains(&k)
            || self.word_counts.contains(&(k + 1))
            || (k > 0 && self.word_counts.contains(&(k - 1))))
        {
            return false;
        }
        self.any_candidate(&c, s)
    }

    /// Whether some target passes the candidate filters of the comparisons.
    fn any_candidate(&self, c: &str, s: &Switches) -> bool {
        let p = keys::phonetic(c);
        let sk = keys::sound_key(c);
        let tk = keys::translit_key(c);
        let mut seen: Vec<u32> = Vec::new();
        for key in keys::deletes(&p) {
            if let Some(ids) = self.fuzzy.get(&key) {
                seen.extend(ids);
            }
        }
        if let Some(ids) = self.sound.get(&sk) {
            seen.extend(ids);
        }
        if let Some(ids) = self.translit.get(&tk) {
            seen.extend(ids);
        }
        if seen.is_empty() {
            return false;
        }
        seen.sort_unstable();
        seen.dedup();
        let span_digits = keys::digits(c);
        let cb = c.as_bytes();
        seen.iter().any(|&tid| {
            let t = &self.targets[tid as usize];
            if t.digits != span_digits {
                return false;
            }
            let tc = t.compact.as_bytes();
            let distance = keys::osa(cb, tc);
            if distance == 0 {
                return false;
            }
            let similarity = 1.0 - distance as f64 / cb.len().max(tc.len()) as f64;
            if similarity < 0.5 - 1e-9 || keys::ending(cb, tc) == "extended" {
                return false;
            }
            // The strongest sound evidence decides the method: the phonetic ones (same
            // metaphone, sound or transliteration key) or "metaphone near" (edit).
            let phonetic_evidence = p == t.phonetic
                || t.sound == sk
                || (t.translit == tk && tk.len() >= MIN_TRANSLIT_KEY);
            let edit = if phonetic_evidence {
                false
            } else if keys::one_edit(p.as_bytes(), t.phonetic.as_bytes()) {
                true
            } else {
                return false; // no sound evidence: no candidate
            };
            if edit {
                s.edit && cb.len().min(tc.len()) >= s.min_edit_length
            } else {
                s.phonetic
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn screen() -> Screen {
        let mut s = Screen::default();
        let bd = Target {
            compact: "bytedance".into(),
            phonetic: keys::phonetic("bytedance"),
            sound: keys::sound_key("bytedance"),
            translit: keys::translit_key("bytedance"),
            digits: String::new(),
        };
        for key in keys::deletes(&bd.phonetic) {
            s.fuzzy.entry(key).or_default().push(0);
        }
        s.sound.entry(bd.sound.clone()).or_default().push(0);
        s.translit.entry(bd.translit.clone()).or_default().push(0);
        s.targets.push(bd);
        s.exact
            .insert("bytedance".into(), ("ByteDance".into(), Role::Canonical));
        s.compact_canonical.insert("bytedance".into());
        s.word_counts.insert(1);
        s.max_compact = 9;
        s.hopeless = vec![vec![false; 12]; 5];
        s.switches = Some(Switches {
            case: true,
            aliases: true,
            phonetic: true,
            edit: true,
            min_fuzzy_length: 5,
            min_edit_length: 6,
            common_word_zipf: 3.0,
            max_words: 6,
        });
        s
    }

    #[test]
    fn screens_out_runs_with_nothing_near() {
        let s = screen();
        assert!(!s.maybe("The"));
        assert!(!s.maybe("Monday Morning"));
        assert!(!s.maybe("ByteDance")); // the canonical name as written
    }

    #[test]
    fn lets_through_what_may_change() {
        let s = screen();
        assert!(s.maybe("Bytdance"));
        assert!(s.maybe("BYTEDANCE")); // capitals
        assert!(s.maybe("Byte Dance")); // split
        assert!(s.maybe("Zürich")); // not ASCII: the reference decides
    }

    #[test]
    fn tokens_as_the_scanner_gives_them() {
        let run = "Bank of China's";
        let t = tokens(run);
        assert_eq!(t.len(), 3);
        assert!(t[1].connector && !t[1].startable);
        assert_eq!(&run[t[2].start..t[2].end], "China's");
    }
}
