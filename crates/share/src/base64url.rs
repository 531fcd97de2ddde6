//! base64url without padding (RFC 4648 §5): the only characters a share link's data uses, all of
//! them safe in a URL fragment without percent-encoding. Decoding is strict: any other character,
//! or a length no encoder produces, is an error naming the position.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Why a text is not base64url.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Base64Error {
    /// The character at this index (in chars of the data) is not in the alphabet.
    BadChar { index: usize, ch: char },
    /// A length of 1 mod 4 cannot come from an encoder.
    BadLength(usize),
    /// The last character carries bits an encoder leaves zero.
    NonCanonical,
}

pub fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    let sym = |i: u32| char::from(ALPHABET.get((i & 63) as usize).copied().unwrap_or(b'A'));
    for chunk in bytes.chunks(3) {
        let b = |i: usize| u32::from(chunk.get(i).copied().unwrap_or(0));
        let n = (b(0) << 16) | (b(1) << 8) | b(2);
        out.push(sym(n >> 18));
        out.push(sym(n >> 12));
        if chunk.len() > 1 {
            out.push(sym(n >> 6));
        }
        if chunk.len() > 2 {
            out.push(sym(n));
        }
    }
    out
}

fn value(c: u8) -> Option<u32> {
    let v = match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'-' => 62,
        b'_' => 63,
        _ => return None,
    };
    Some(u32::from(v))
}

pub fn decode(text: &str) -> Result<Vec<u8>, Base64Error> {
    // Characters first: a foreign character is the more useful thing to report.
    if let Some((index, ch)) = text
        .chars()
        .enumerate()
        .find(|(_, c)| !c.is_ascii() || value(*c as u8).is_none())
    {
        return Err(Base64Error::BadChar { index, ch });
    }
    let bytes = text.as_bytes();
    if bytes.len() % 4 == 1 {
        return Err(Base64Error::BadLength(bytes.len()));
    }
    let mut out = Vec::with_capacity(bytes.len() / 4 * 3 + 2);
    for chunk in bytes.chunks(4) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            // Every character was checked above.
            n |= value(c).unwrap_or(0) << (18 - 6 * i);
        }
        let [_, b0, b1, b2] = n.to_be_bytes();
        match chunk.len() {
            4 => out.extend_from_slice(&[b0, b1, b2]),
            3 => {
                if b2 != 0 {
                    return Err(Base64Error::NonCanonical);
                }
                out.extend_from_slice(&[b0, b1]);
            }
            _ => {
                if b1 != 0 || b2 != 0 {
                    return Err(Base64Error::NonCanonical);
                }
                out.push(b0);
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn rfc4648_vectors_without_padding() {
        // RFC 4648 §10 test vectors, padding removed.
        for (raw, enc) in [
            ("", ""),
            ("f", "Zg"),
            ("fo", "Zm8"),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg"),
            ("fooba", "Zm9vYmE"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(encode(raw.as_bytes()), enc);
            assert_eq!(decode(enc).unwrap(), raw.as_bytes());
        }
        // The url-safe alphabet: 0xfb 0xff -> "-_8"
        assert_eq!(encode(&[0xfb, 0xff]), "-_8");
        assert_eq!(decode("-_8").unwrap(), [0xfb, 0xff]);
    }

    #[test]
    fn rejects_what_no_encoder_makes() {
        assert_eq!(decode("Zm9vY"), Err(Base64Error::BadLength(5)));
        assert_eq!(
            decode("Zm+v"),
            Err(Base64Error::BadChar { index: 2, ch: '+' })
        );
        assert_eq!(
            decode("Zm9v="),
            Err(Base64Error::BadChar { index: 4, ch: '=' })
        );
        assert_eq!(decode("Zh"), Err(Base64Error::NonCanonical));
        assert_eq!(
            decode("Zm9é"),
            Err(Base64Error::BadChar { index: 3, ch: 'é' })
        );
    }

    proptest! {
        #[test]
        fn round_trips(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            prop_assert_eq!(decode(&encode(&bytes)).unwrap(), bytes);
        }

        #[test]
        fn never_panics(text in ".{0,80}") {
            let _ = decode(&text);
        }
    }
}
