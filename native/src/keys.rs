//! The key functions of `normalise/keys.py` and the string comparisons of
//! `normalise/comparisons.py`, for ASCII text.
//!
//! Every function here takes text the caller has checked is ASCII (the screen defers
//! any other text to the Python reference), so that case folding, mark stripping and the
//! Unicode classes of the Python side reduce to their ASCII cases and cannot drift apart
//! with Unicode versions. `tests/test_native.py` checks each against its Python twin.

/// `keys.fold` of an ASCII span: lower case, "`" as "'", runs of white space as one
/// space, none at either end.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_ascii_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        for b in word.bytes() {
            out.push(if b == b'`' {
                '\''
            } else {
                b.to_ascii_lowercase() as char
            });
        }
    }
    out
}

/// `keys.compact` of ASCII text: its letters and digits, in lower case.
pub fn compact(text: &str) -> String {
    text.bytes()
        .filter(u8::is_ascii_alphanumeric)
        .map(|b| b.to_ascii_lowercase() as char)
        .collect()
}

/// `keys.digits`: the digits, in order.
pub fn digits(text: &str) -> String {
    text.bytes()
        .filter(u8::is_ascii_digit)
        .map(char::from)
        .collect()
}

fn is_vowel(c: u8) -> bool {
    matches!(c, b'A' | b'E' | b'I' | b'O' | b'U')
}

fn is_iey(c: u8) -> bool {
    matches!(c, b'I' | b'E' | b'Y')
}

/// The metaphone key of one word of ASCII letters, as `jellyfish.metaphone` gives it.
// One arm per letter, each with its own conditions, reads as the algorithm's table.
#[allow(clippy::collapsible_match)]
pub fn metaphone(word: &str) -> String {
    let mut v: Vec<u8> = word.bytes().map(|b| b.to_ascii_uppercase()).collect();
    if [b"KN", b"GN", b"PN", b"WR", b"AE"]
        .iter()
        .any(|p| v.starts_with(*p))
    {
        v.remove(0);
    }
    let at = |k: usize| -> u8 { v.get(k).copied().unwrap_or(b'*') };
    let mut out = String::with_capacity(v.len());
    let mut i = 0;
    while i < v.len() {
        let c = v[i];
        let next = at(i + 1);
        let after = at(i + 2);
        if c == next && c != b'C' {
            i += 1; // a doubled letter counts once (but "CC")
            continue;
        }
        match c {
            b'A' | b'E' | b'I' | b'O' | b'U' => {
                if i == 0 {
                    out.push(c as char);
                }
            }
            b'B' => {
                if i == 0 || v[i - 1] != b'M' || next != b'*' {
                    out.push('B');
                }
            }
            b'C' => {
                if (next == b'I' && after == b'A') || next == b'H' {
                    i += 1;
                    out.push('X');
                } else if is_iey(next) {
                    i += 1;
                    out.push('S');
                } else {
                    out.push('K');
                }
            }
            b'D' => {
                if next == b'G' && is_iey(after) {
                    i += 2;
                    out.push('J');
                } else {
                    out.push('T');
                }
            }
            b'F' | b'J' | b'L' | b'M' | b'N' | b'R' => out.push(c as char),
            b'G' => {
                if is_iey(next) {
                    out.push('J');
                } else if (next == b'H' && !is_vowel(after)) // a trailing "GH" too
                    || (next == b'N' && after == b'*')
                {
                    i += 1;
                } else {
                    out.push('K');
                }
            }
            b'H' => {
                if i == 0 || is_vowel(next) || !is_vowel(v[i - 1]) {
                    out.push('H');
                }
            }
            b'K' => {
                if i == 0 || v[i - 1] != b'C' {
                    out.push('K');
                }
            }
            b'P' => {
                if next == b'H' {
                    i += 1;
                    out.push('F');
                } else {
                    out.push('P');
                }
            }
            b'Q' => out.push('K'),
            b'S' => {
                if next == b'H' {
                    i += 1;
                    out.push('X');
                } else if next == b'I' && (after == b'O' || after == b'A') {
                    i += 2;
                    out.push('X');
                } else {
                    out.push('S');
                }
            }
            b'T' => {
                if next == b'I' && (after == b'O' || after == b'A') {
                    out.push('X');
                } else if next == b'H' {
                    i += 1;
                    out.push('0');
                } else if next != b'C' || after != b'H' {
                    out.push('T');
                }
            }
            b'V' => out.push('F'),
            b'W' => {
                if i == 0 && next == b'H' {
                    i += 1;
                    out.push('W');
                } else if is_vowel(next) {
                    out.push('W');
                }
            }
            b'X' => {
                if i == 0 {
                    let x = next == b'H' || (next == b'I' && (after == b'O' || after == b'A'));
                    out.push(if x { 'X' } else { 'S' });
                } else {
                    out.push_str("KS");
                }
            }
            b'Y' => {
                if is_vowel(next) {
                    out.push('Y');
                }
            }
            b'Z' => out.push('S'),
            _ => {}
        }
        i += 1;
    }
    out
}

/// `keys.phonetic` of a compact ASCII form: metaphone of each run of letters, the
/// digits kept where they stand ("kovid19" -> "KFT19").
pub fn phonetic(compact_text: &str) -> String {
    let bytes = compact_text.as_bytes();
    let mut out = String::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_lowercase() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_lowercase() {
                i += 1;
            }
            out.push_str(&metaphone(&compact_text[start..i]));
        } else {
            out.push(bytes[i] as char);
            i += 1;
        }
    }
    out
}

fn sound_class(c: u8) -> Option<u8> {
    Some(match c {
        b'b' | b'p' => b'P',
        b'd' | b't' => b'T',
        b'c' | b'g' | b'j' | b'k' | b'q' => b'K',
        b'f' | b'v' | b'w' => b'F',
        b's' | b'x' | b'z' => b'S',
        b'a' | b'e' | b'i' | b'o' | b'u' | b'y' | b'h' => return None,
        b'l' => b'L',
        b'm' => b'M',
        b'n' => b'N',
        b'r' => b'R',
        other => other,
    })
}

/// `keys.sound_key` of a compact ASCII form.
pub fn sound_key(compact_text: &str) -> String {
    let bytes = compact_text.as_bytes();
    let Some(&first) = bytes.first() else {
        return String::new();
    };
    let mut out: Vec<u8> = vec![sound_class(first).unwrap_or(first)];
    for &c in &bytes[1..] {
        if let Some(k) = sound_class(c) {
            if Some(&k) != out.last() {
                out.push(k);
            }
        }
    }
    String::from_utf8(out).expect("ASCII")
}

const TRANSLIT_GROUPS: [(&str, u8); 15] = [
    ("shch", b'S'),
    ("tsch", b'C'),
    ("sch", b'S'),
    ("tch", b'C'),
    ("zh", b'C'),
    ("ch", b'C'),
    ("ts", b'C'),
    ("tz", b'C'),
    ("sh", b'S'),
    ("kh", b'K'),
    ("gh", b'K'),
    ("ph", b'F'),
    ("hu", b'F'),
    ("ck", b'K'),
    ("qu", b'K'),
];

fn translit_letter(c: u8) -> Option<u8> {
    Some(match c {
        b'b' | b'p' | b'v' | b'w' => b'P',
        b'd' | b't' => b'T',
        b'c' | b'g' | b'k' | b'q' => b'K',
        b's' | b'x' | b'z' => b'S',
        b'j' => b'C',
        b'f' => b'F',
        b'h' | b'a' | b'e' | b'i' | b'o' | b'u' | b'y' => return None,
        b'l' | b'r' => b'R',
        b'm' => b'M',
        b'n' => b'N',
        other => other,
    })
}

/// `keys.translit_key` of a compact ASCII form.
pub fn translit_key(compact_text: &str) -> String {
    let bytes = compact_text.as_bytes();
    let Some(&first) = bytes.first() else {
        return String::new();
    };
    let mut out: Vec<u8> = Vec::with_capacity(bytes.len());
    if b"aeiouy".contains(&first) {
        out.push(b'A');
    } else if first == b'h' && !compact_text.starts_with("hu") {
        out.push(b'H');
    }
    let mut i = 0;
    while i < bytes.len() {
        // The groups, longest first, then single letters: the same units as the
        // Python side's one regex alternation.
        let group = TRANSLIT_GROUPS
            .iter()
            .find(|(g, _)| bytes[i..].starts_with(g.as_bytes()));
        let (class, width) = match group {
            Some((g, k)) => (Some(*k), g.len()),
            None => (translit_letter(bytes[i]), 1),
        };
        if let Some(k) = class {
            if out.last() != Some(&k) {
                out.push(k);
            }
        }
        i += width;
    }
    String::from_utf8(out).expect("ASCII")
}

/// `keys.deletes`: the key and every form of it with one character deleted.
pub fn deletes(key: &str) -> Vec<String> {
    let mut out = vec![key.to_string()];
    for i in 0..key.len() {
        let mut k = String::with_capacity(key.len());
        k.push_str(&key[..i]);
        k.push_str(&key[i + 1..]);
        out.push(k);
    }
    out
}

/// Optimal string alignment distance (Levenshtein plus adjacent transpositions, each
/// substring edited once), as rapidfuzz's `OSA.distance` on the same strings.
pub fn osa(a: &[u8], b: &[u8]) -> usize {
    let (n, m) = (a.len(), b.len());
    if n == 0 || m == 0 {
        return n.max(m);
    }
    let width = m + 1;
    let mut d = vec![0usize; (n + 1) * width];
    for (i, row) in d.chunks_mut(width).enumerate() {
        row[0] = i;
    }
    for (j, cell) in d.iter_mut().take(width).enumerate() {
        *cell = j;
    }
    for i in 1..=n {
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * width + j] + 1)
                .min(d[i * width + j - 1] + 1)
                .min(d[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * width + j - 2] + 1);
            }
            d[i * width + j] = v;
        }
    }
    d[n * width + m]
}

/// Whether two strings are exactly one Levenshtein edit apart.
pub fn one_edit(a: &[u8], b: &[u8]) -> bool {
    let (long, short) = if a.len() >= b.len() { (a, b) } else { (b, a) };
    match long.len() - short.len() {
        0 => long.iter().zip(short).filter(|(x, y)| x != y).count() == 1,
        1 => {
            let k = common_prefix(long, short);
            long[k + 1..] == short[k..]
        }
        _ => false,
    }
}

pub fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

fn doubled(a: &[u8], b: &[u8]) -> bool {
    let (a, b) = if a.len() < b.len() { (b, a) } else { (a, b) };
    if a.len() != b.len() + 1 {
        return false;
    }
    let i = common_prefix(a, b);
    i > 0 && a[i] == a[i - 1] && a[i + 1..] == b[i..]
}

const INFLECTION_LETTERS: &[u8] = b"aeiouyns";

fn inflected(a: &[u8], b: &[u8]) -> bool {
    let k = common_prefix(a, b);
    if k + 1 < a.len().min(b.len()) {
        return false;
    }
    let (ta, tb) = (&a[k..], &b[k..]);
    if doubled(a, b) {
        return false;
    }
    if ta.is_empty() || tb.is_empty() {
        let n = ta.len() + tb.len();
        return 0 < n && n <= 3;
    }
    if ta.ends_with(tb) || tb.ends_with(ta) {
        return false;
    }
    ta.iter().chain(tb).all(|c| INFLECTION_LETTERS.contains(c))
}

/// `comparisons.ending`: "extended" (no candidate), "vowel ending" or "other".
pub fn ending(a: &[u8], b: &[u8]) -> &'static str {
    if !inflected(a, b) {
        return "other";
    }
    if common_prefix(a, b) == a.len().min(b.len()) {
        "extended"
    } else {
        "vowel ending"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_of_the_docstrings() {
        assert_eq!(fold("Tik  Tok`s"), "tik tok's");
        assert_eq!(compact("Tik-Tok"), "tiktok");
        assert_eq!(phonetic("kovid19"), "KFT19");
        assert_eq!(sound_key("malavi"), "MLF");
        assert_eq!(sound_key("malawi"), "MLF");
        assert_eq!(translit_key("zelenskiy"), translit_key("zelensky"));
        assert_eq!(translit_key("raisi"), translit_key("laisi"));
        assert_ne!(translit_key("hasan"), translit_key("asan"));
    }

    #[test]
    fn metaphone_rules() {
        assert_eq!(metaphone("knight"), "NT");
        assert_eq!(metaphone("thompson"), "0MPSN");
        assert_eq!(metaphone("bytedance"), "BTTNS");
        assert_eq!(metaphone("xavier"), "SFR");
    }

    #[test]
    fn distances() {
        assert_eq!(osa(b"ca", b"ac"), 1);
        assert_eq!(osa(b"bytdance", b"bytedance"), 1);
        assert_eq!(osa(b"", b"abc"), 3);
        assert!(one_edit(b"KFT", b"KT"));
        assert!(!one_edit(b"KFT", b"KFT"));
        assert_eq!(ending(b"walmarts", b"walmart"), "extended");
        assert_eq!(ending(b"argentine", b"argentina"), "vowel ending");
        assert_eq!(ending(b"denmarc", b"denmark"), "other");
    }
}
