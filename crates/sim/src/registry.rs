//! Which images a pull finds (stsplay's model, not Kubernetes code: the simulation cannot ask a
//! registry). A learner who sets `nginx:does-not-exist` or `nginx:1.26.0-bogus` on a real kind
//! cluster gets `ErrImagePull` / `ImagePullBackOff` and a rollout stuck at the highest ordinal;
//! we reproduce that for the Docker Hub official images people use in StatefulSet examples by
//! checking the tag's shape against the tags those images publish (versions, the variant words
//! `alpine`, `slim`, `bookworm`, … and the aliases `latest`, `stable`, `mainline`, …), and the
//! major version where it is well known (nginx 1.x, busybox 1.x, alpine 3.x, …).
//!
//! Images from other repositories (your own registry, registry.k8s.io test images, …) and
//! digests are assumed to exist: we cannot know. `sim fault image IMAGE missing|present`
//! overrides the model either way.

/// Official Docker Hub images (`docker.io/library/<name>`) whose tags we check, with the major
/// versions they publish (empty: any number).
const OFFICIAL: &[(&str, &[u32])] = &[
    ("nginx", &[1]),
    ("busybox", &[1]),
    ("alpine", &[3]),
    ("ubuntu", &[12, 14, 16, 18, 20, 22, 24, 25, 26]),
    ("debian", &[7, 8, 9, 10, 11, 12, 13, 14]),
    ("redis", &[2, 3, 4, 5, 6, 7, 8]),
    ("postgres", &[9, 10, 11, 12, 13, 14, 15, 16, 17, 18]),
    ("mysql", &[5, 8, 9]),
    ("mariadb", &[5, 10, 11, 12]),
    ("mongo", &[3, 4, 5, 6, 7, 8]),
    ("httpd", &[2]),
    ("memcached", &[1]),
    ("rabbitmq", &[3, 4]),
    ("zookeeper", &[3]),
    ("cassandra", &[2, 3, 4, 5]),
    ("python", &[2, 3]),
    ("node", &[]),
    ("golang", &[1]),
    ("registry", &[2, 3]),
    ("hello-world", &[]),
    ("traefik", &[1, 2, 3]),
    ("haproxy", &[1, 2, 3]),
    ("elasticsearch", &[5, 6, 7, 8, 9]),
];

/// Words that appear in official tags, alone or followed by a version (`alpine3.20`).
const VARIANTS: &[&str] = &[
    "latest",
    "stable",
    "mainline",
    "alpine",
    "slim",
    "perl",
    "otel",
    "bookworm",
    "bullseye",
    "buster",
    "stretch",
    "trixie",
    "sid",
    "jammy",
    "noble",
    "focal",
    "bionic",
    "plucky",
    "questing",
    "oracle",
    "glibc",
    "musl",
    "uclibc",
    "management",
    "windowsservercore",
    "nanoserver",
    "ltsc",
    "lts",
    "edge",
    "rc",
    "beta",
    "alpha",
    "jre",
    "jdk",
    "cli",
    "fpm",
    "apache",
    "ubi",
    "el",
];

/// Whether a pull of `normalized` (as `kubelet::normalize_image` spells it) finds the image.
pub fn exists(normalized: &str) -> bool {
    if normalized.contains('@') {
        return true;
    }
    let Some(rest) = normalized.strip_prefix("docker.io/library/") else {
        return true;
    };
    let (name, tag) = rest.rsplit_once(':').unwrap_or((rest, "latest"));
    let Some((_, majors)) = OFFICIAL.iter().find(|(n, _)| *n == name) else {
        return true;
    };
    tag_exists(tag, majors)
}

/// A tag is `-`-separated tokens, each a version (`1`, `1.26`, `1.26.0`, `16.4`) or a variant
/// word, possibly with a version glued on (`alpine3.20`, `rc1`). The first version token must
/// be one of the image's majors.
fn tag_exists(tag: &str, majors: &[u32]) -> bool {
    if tag.is_empty() || tag.len() > 128 {
        return false;
    }
    let mut first_version = true;
    for tok in tag.split('-') {
        if is_version(tok) {
            if first_version {
                first_version = false;
                let major = tok.split('.').next().and_then(|m| m.parse::<u32>().ok());
                if !majors.is_empty() && !major.is_some_and(|m| majors.contains(&m)) {
                    return false;
                }
            }
            continue;
        }
        let word = tok.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
        if word.is_empty() || !VARIANTS.contains(&word) {
            return false;
        }
    }
    true
}

/// `1`, `1.26`, `1.26.0`: one to four dot-separated numbers without leading zeros.
fn is_version(tok: &str) -> bool {
    let parts: Vec<&str> = tok.split('.').collect();
    (1..=4).contains(&parts.len())
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.len() <= 9
                && p.bytes().all(|b| b.is_ascii_digit())
                && (p.len() == 1 || !p.starts_with('0'))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kubelet::normalize_image;

    fn ok(image: &str) -> bool {
        exists(&normalize_image(image))
    }

    #[test]
    fn official_tags_people_use_exist() {
        for i in [
            "nginx:1.26.0",
            "nginx",
            "nginx:latest",
            "nginx:1.27-alpine",
            "nginx:1.25.3-alpine3.18-perl",
            "nginx:stable-alpine",
            "nginx:mainline",
            "busybox:1.36",
            "busybox:1.36.1-musl",
            "alpine:3.20",
            "postgres:16",
            "postgres:16.4-bookworm",
            "redis:7.2-alpine",
            "mysql:8.0.36",
            "mysql:8.0-oracle",
            "docker.io/library/nginx:1.26.0",
            "rabbitmq:3-management",
            "python:3.12-slim-bookworm",
        ] {
            assert!(ok(i), "{i}");
        }
    }

    #[test]
    fn typos_and_invented_tags_are_not_found() {
        for i in [
            "nginx:does-not-exist",
            "nginx:2.0",
            "nginx:1.26.0-bogus",
            "nginx:lastest",
            "nginx:01.2",
            "busybox:2",
            "postgres:99",
            "redis:latest-foo",
        ] {
            assert!(!ok(i), "{i}");
        }
    }

    #[test]
    fn other_repositories_and_digests_are_assumed_to_exist() {
        for i in [
            "registry.k8s.io/nginx-slim:0.8",
            "myorg/app:v1",
            "ghcr.io/me/thing:whatever",
            "localhost:5000/app",
            "nginx@sha256:0000000000000000000000000000000000000000000000000000000000000000",
            "mycompany/nginx:does-not-exist",
        ] {
            assert!(ok(i), "{i}");
        }
    }
}
