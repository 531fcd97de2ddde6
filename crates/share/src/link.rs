//! Share links: a [`Scenario`] in the URL fragment.
//!
//! A link is `BASE#s1.DATA`: `s` marks a share link, `1` is the payload format version (see
//! [`crate::wire`]), `DATA` is base64url (no padding) of the zlib-wrapped deflate of the payload.
//! The fragment never reaches a server, so a scenario stays in the browser. zlib rather than raw
//! deflate: its Adler-32 checksum turns a link damaged in copying into a clear error instead of a
//! different scenario.
//!
//! Decoding never panics and is bounded at each stage: the text length (the browsers' URL limit),
//! the inflated size ([`limits::MAX_INFLATED_BYTES`], checked while inflating), then every count
//! and length of the payload.

use std::fmt;

use crate::base64url::{self, Base64Error};
use crate::scenario::{LimitError, Scenario, limits};
use crate::wire::{self, WireError};

/// The format this build writes; it reads every format up to this one.
pub const CURRENT_VERSION: u32 = 1;

/// Why a link cannot be made or opened. `Display` is a sentence for the page, in our words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShareError {
    /// The fragment is not a share link at all (the caller usually ignores it).
    NotALink,
    /// A format this build does not know yet.
    NewerVersion(u32),
    /// The link text is longer than browsers accept.
    LinkTooLong { chars: usize, max: usize },
    /// The scenario would make a link longer than browsers accept.
    TooLongToShare { chars: usize, max: usize },
    /// A character outside base64url (index in characters of the data part).
    BadCharacter { index: usize, ch: char },
    /// The data is not a complete zlib stream, or its checksum fails.
    Damaged(&'static str),
    /// The data inflates beyond [`limits::MAX_INFLATED_BYTES`].
    TooLargeInflated,
    /// The payload is outside the bounds (or, when sharing, the scenario is).
    Limit(LimitError),
}

impl fmt::Display for ShareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const COPIED: &str = "Was it cut off or changed when it was copied?";
        match self {
            ShareError::NotALink => f.write_str("This is not a stsplay share link."),
            ShareError::NewerVersion(v) => write!(
                f,
                "This share link was made by a newer stsplay (link format {v}; this page reads \
                 formats up to {CURRENT_VERSION}). Reload the page to get the newest playground."
            ),
            ShareError::LinkTooLong { chars, max } => write!(
                f,
                "This share link is {} characters long; links longer than {} characters are not \
                 opened, since browsers do not keep them.",
                group(*chars),
                group(*max)
            ),
            ShareError::TooLongToShare { chars, max } => write!(
                f,
                "This scenario needs a link of {} characters, and browsers open links of at most \
                 {} (Firefox's limit). Make it smaller: remove large files or start a fresh \
                 command log.",
                group(*chars),
                group(*max)
            ),
            ShareError::BadCharacter { index, ch } => write!(
                f,
                "This share link is damaged: character {} of its data ({ch:?}) cannot be part \
                 of a link. {COPIED}",
                group(index + 1)
            ),
            ShareError::Damaged(what) => {
                write!(f, "This share link is damaged: {what}. {COPIED}")
            }
            ShareError::TooLargeInflated => write!(
                f,
                "This share link unpacks to more than {} MiB, more than a playground scenario can \
                 hold; it was not opened.",
                limits::MAX_INFLATED_BYTES >> 20
            ),
            ShareError::Limit(e) => {
                write!(f, "This share link cannot be opened: {e}.")
            }
        }
    }
}

impl std::error::Error for ShareError {}

/// 1048576 -> "1,048,576"
fn group(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The fragment (without `#`) of a scenario's link.
pub fn encode_fragment(s: &Scenario) -> Result<String, ShareError> {
    s.check().map_err(ShareError::Limit)?;
    let payload = wire::encode_v1(s);
    if payload.len() > limits::MAX_INFLATED_BYTES {
        return Err(ShareError::TooLongToShare {
            chars: payload.len(),
            max: limits::MAX_LINK_CHARS,
        });
    }
    let packed = miniz_oxide::deflate::compress_to_vec_zlib(&payload, 9);
    let mut out = format!("s{CURRENT_VERSION}.");
    out.push_str(&base64url::encode(&packed));
    Ok(out)
}

/// A whole link: `base` (any fragment of it dropped) + `#` + the scenario's fragment, refused
/// with [`ShareError::TooLongToShare`] when browsers would not open it.
pub fn link(base: &str, s: &Scenario) -> Result<String, ShareError> {
    let base = base.split_once('#').map_or(base, |(b, _)| b);
    let fragment = encode_fragment(s)?;
    let chars = base.chars().count() + 1 + fragment.len();
    if chars > limits::MAX_LINK_CHARS {
        return Err(ShareError::TooLongToShare {
            chars,
            max: limits::MAX_LINK_CHARS,
        });
    }
    Ok(format!("{base}#{fragment}"))
}

/// Whether a fragment (with or without `#`) claims to be a share link, of any version.
pub fn is_share_fragment(fragment: &str) -> bool {
    split_version(fragment).is_some()
}

/// `#s12.DATA` -> (12, "DATA")
fn split_version(fragment: &str) -> Option<(&str, &str)> {
    let f = fragment.strip_prefix('#').unwrap_or(fragment);
    let rest = f.strip_prefix('s')?;
    let (v, data) = rest.split_once('.')?;
    (!v.is_empty() && v.len() <= 9 && v.bytes().all(|b| b.is_ascii_digit())).then_some((v, data))
}

/// Open a link or its fragment (`https://…/#s1.…`, `#s1.…` or `s1.…`).
pub fn decode(link_or_fragment: &str) -> Result<Scenario, ShareError> {
    let total = link_or_fragment.len();
    if total > limits::MAX_LINK_CHARS {
        return Err(ShareError::LinkTooLong {
            chars: total,
            max: limits::MAX_LINK_CHARS,
        });
    }
    let fragment = match link_or_fragment.split_once('#') {
        Some((_, f)) => f,
        None => link_or_fragment,
    };
    // Surrounding whitespace comes with pasted links; nothing else is forgiven.
    let (version, data) = split_version(fragment.trim()).ok_or(ShareError::NotALink)?;
    let version: u32 = version.parse().map_err(|_| ShareError::NotALink)?;
    match version {
        1 => decode_v1(data),
        0 => Err(ShareError::NotALink),
        v => Err(ShareError::NewerVersion(v)),
    }
}

fn decode_v1(data: &str) -> Result<Scenario, ShareError> {
    let packed = base64url::decode(data).map_err(|e| match e {
        Base64Error::BadChar { index, ch } => ShareError::BadCharacter { index, ch },
        Base64Error::BadLength(_) | Base64Error::NonCanonical => {
            ShareError::Damaged("its data ends in the middle of a character group")
        }
    })?;
    use miniz_oxide::inflate::{TINFLStatus, decompress_to_vec_zlib_with_limit};
    let payload = decompress_to_vec_zlib_with_limit(&packed, limits::MAX_INFLATED_BYTES).map_err(
        |e| match e.status {
            TINFLStatus::HasMoreOutput => ShareError::TooLargeInflated,
            TINFLStatus::Adler32Mismatch => {
                ShareError::Damaged("its checksum does not match its content")
            }
            TINFLStatus::FailedCannotMakeProgress | TINFLStatus::NeedsMoreInput => {
                ShareError::Damaged("its data is incomplete")
            }
            _ => ShareError::Damaged("its data does not unpack"),
        },
    )?;
    wire::decode_v1(&payload).map_err(|e| match e {
        WireError::Truncated(_) => ShareError::Damaged("its content ends too early"),
        WireError::Invalid(_) => ShareError::Damaged("its content has a value no link holds"),
        WireError::Trailing(_) => ShareError::Damaged("its content has extra bytes at the end"),
        WireError::Limit(l) => ShareError::Limit(l),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{File, Speed, Step, Theme, TourPosition, View, ViewOptions};

    fn seed() -> Scenario {
        Scenario {
            files: vec![
                File {
                    name: "sts.yaml".into(),
                    text: "apiVersion: apps/v1\nkind: StatefulSet\n".into(),
                },
                File {
                    name: "svc.yaml".into(),
                    text: "apiVersion: v1\nkind: Service\n".into(),
                },
            ],
            steps: vec![
                Step::Run("kubectl apply -f svc.yaml -f sts.yaml".into()),
                Step::Write(File {
                    name: "sts.yaml".into(),
                    text: "replicas: 5\n".into(),
                }),
                Step::Run("sim settle".into()),
            ],
            position: Some(7),
            view: ViewOptions {
                view: View::DiagramConsole,
                theme: Theme::Dark,
                speed: Speed::Hundredths(400),
                active_file: Some("svc.yaml".into()),
                example: Some("seed".into()),
                tour: Some(TourPosition {
                    name: "orchestra".into(),
                    step: 3,
                }),
            },
        }
    }

    #[test]
    fn round_trip_and_shape() {
        let s = seed();
        let l = link("https://stsplay.example/#old", &s).unwrap();
        assert!(l.starts_with("https://stsplay.example/#s1."), "{l}");
        assert!(
            l["https://stsplay.example/#s1.".len()..]
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
        assert_eq!(decode(&l), Ok(s.clone()));
        let frag = encode_fragment(&s).unwrap();
        assert_eq!(decode(&frag), Ok(s.clone()));
        assert_eq!(decode(&format!("#{frag}")), Ok(s.clone()));
        assert_eq!(decode(&format!("  #{frag}\n")), Ok(s));
    }

    #[test]
    fn versions() {
        assert_eq!(decode("#s2.AAAA"), Err(ShareError::NewerVersion(2)));
        assert_eq!(decode("#s0.AAAA"), Err(ShareError::NotALink));
        assert_eq!(decode("#/active"), Err(ShareError::NotALink));
        assert_eq!(decode(""), Err(ShareError::NotALink));
        assert_eq!(decode("#s.AAAA"), Err(ShareError::NotALink));
        assert_eq!(decode("#s99999999999.AAAA"), Err(ShareError::NotALink));
        assert!(is_share_fragment("#s1.x") && is_share_fragment("s3.") && !is_share_fragment("#x"));
        assert_eq!(
            ShareError::NewerVersion(2).to_string(),
            "This share link was made by a newer stsplay (link format 2; this page reads formats \
             up to 1). Reload the page to get the newest playground."
        );
    }

    #[test]
    fn damaged_links_say_so() {
        let frag = encode_fragment(&seed()).unwrap();
        // Cut off in the middle.
        let cut = &frag[..frag.len() / 2];
        let e = decode(cut).unwrap_err();
        assert!(matches!(e, ShareError::Damaged(_)), "{e:?}");
        assert!(e.to_string().contains("cut off or changed"), "{e}");
        // A character changed.
        let mut changed = frag.clone().into_bytes();
        let i = changed.len() - 10;
        changed[i] = if changed[i] == b'A' { b'B' } else { b'A' };
        let e = decode(std::str::from_utf8(&changed).unwrap()).unwrap_err();
        assert!(matches!(e, ShareError::Damaged(_)), "{e:?}");
        // Percent-encoded or foreign characters.
        let e = decode("#s1.eJzL%20SM").unwrap_err();
        assert_eq!(e, ShareError::BadCharacter { index: 4, ch: '%' });
        assert_eq!(
            e.to_string(),
            "This share link is damaged: character 5 of its data ('%') cannot be part of a \
             link. Was it cut off or changed when it was copied?"
        );
    }

    #[test]
    fn a_zip_bomb_stops_at_the_inflate_limit() {
        // 64 MiB of zeros deflate to ~64 KiB; the decoder must stop at 4 MiB, not inflate them.
        let bomb = miniz_oxide::deflate::compress_to_vec_zlib(&vec![0u8; 64 << 20], 9);
        let frag = format!("s1.{}", base64url::encode(&bomb));
        assert!(frag.len() < limits::MAX_LINK_CHARS);
        assert_eq!(decode(&frag), Err(ShareError::TooLargeInflated));
    }

    #[test]
    fn too_long_links_are_refused_with_a_reason() {
        // Incompressible text: 1 MiB of it cannot fit in a 1 MiB link after base64.
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        let noise: String = (0..limits::MAX_FILE_BYTES)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                char::from(b'!' + (x % 90) as u8)
            })
            .collect();
        let s = Scenario {
            files: vec![File {
                name: "big.yaml".into(),
                text: noise,
            }],
            ..Default::default()
        };
        let e = link("https://x.example/", &s).unwrap_err();
        let ShareError::TooLongToShare { chars, max } = e else {
            panic!("{e:?}")
        };
        assert!(chars > max);
        assert!(e.to_string().contains("(Firefox's limit)"), "{e}");
        // And a link that long is not even read.
        let long = format!("#s1.{}", "A".repeat(limits::MAX_LINK_CHARS));
        assert!(matches!(decode(&long), Err(ShareError::LinkTooLong { .. })));
    }

    #[test]
    fn scenarios_outside_the_bounds_make_no_link() {
        let mut s = seed();
        s.view.example = Some("<img src=x onerror=alert(1)>".into());
        assert!(matches!(encode_fragment(&s), Err(ShareError::Limit(_))));
    }

    #[test]
    fn group_digits() {
        assert_eq!(group(0), "0");
        assert_eq!(group(999), "999");
        assert_eq!(group(1000), "1,000");
        assert_eq!(group(1_048_576), "1,048,576");
    }
}
