//! Generated names and hash encodings, as apimachinery and the apiserver make them:
//! `util/rand.String` (random characters from a consonant-and-digit alphabet),
//! `util/rand.SafeEncodeString` (a hash's decimal digits mapped into that alphabet) and the
//! apiserver's `storage/names.SimpleNameGenerator` (`metadata.generateName` + 5 random
//! characters: a ReplicaSet's pods `web-7d4b9c6f5d-x2k9q`). The randomness is the caller's
//! seeded [`Rng`], so the same commands give the same names.

use crate::clock::Rng;

/// `util/rand`'s alphabet: no vowels (no words), no look-alikes (no `0`, `1`, `3`).
pub const ALPHABET: &[u8; 27] = b"bcdfghjklmnpqrstvwxz2456789";

/// `names.MaxGeneratedNameLength`: 63 minus the 5 random characters.
pub const MAX_GENERATED_NAME_LENGTH: usize = 58;

/// `utilrand.String(n)`.
pub fn random_string(rng: &mut Rng, n: usize) -> String {
    (0..n)
        .filter_map(|_| {
            let i = usize::try_from(rng.next_u64() % ALPHABET.len() as u64).unwrap_or(0);
            ALPHABET.get(i).map(|b| char::from(*b))
        })
        .collect()
}

/// `utilrand.SafeEncodeString`: each byte of `s` mapped into the alphabet.
pub fn safe_encode_string(s: &str) -> String {
    s.bytes()
        .map(|c| {
            let i = usize::from(c) % ALPHABET.len();
            ALPHABET.get(i).copied().map(char::from).unwrap_or('x')
        })
        .collect()
}

/// `SimpleNameGenerator.GenerateName`: the base cut to 58 bytes, then 5 random characters.
pub fn generate_name(base: &str, rng: &mut Rng) -> String {
    let mut cut = base.len().min(MAX_GENERATED_NAME_LENGTH);
    while !base.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}{}", base.get(..cut).unwrap_or(""), random_string(rng, 5))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_names_use_the_alphabet_and_the_length_limit() {
        let mut rng = Rng::new(7);
        let n = generate_name("web-7d4b9c6f5d-", &mut rng);
        assert_eq!(n.len(), "web-7d4b9c6f5d-".len() + 5);
        assert!(n.bytes().skip(15).all(|b| ALPHABET.contains(&b)));
        let long = "x".repeat(70);
        assert_eq!(generate_name(&long, &mut rng).len(), 63);
        // Same seed, same names.
        assert_eq!(
            generate_name("a-", &mut Rng::new(1)),
            generate_name("a-", &mut Rng::new(1))
        );
        // SafeEncodeString: byte 48 (`0`) mod 27 = 21, the alphabet's `4`.
        assert_eq!(safe_encode_string("0"), "4");
    }
}
