//! Resource quantities as `kubectl describe node` adds and prints them (apimachinery
//! `resource.Quantity`: `Add`, `String`, `MilliValue`; kubectl's
//! `staging/src/k8s.io/kubectl/pkg/util/resource.PodRequestsAndLimits`).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Container, Pod};

/// A quantity in thousandths of its unit (cores or bytes), with the format of the first
/// operand (binary SI `Ki`/`Mi`/… or decimal), as `Quantity.Add` keeps it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Q {
    pub milli: i128,
    pub binary: bool,
}

/// Largest magnitude accepted (far above any real node): keeps sums from overflowing.
const MAX_MILLI: i128 = 1 << 100;

/// Parses `100m`, `2`, `1.5`, `70Mi`, `16283440Ki`, `1G`. `None` for anything else.
pub fn parse(s: &str) -> Option<Q> {
    let s = s.trim();
    let split = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let (num, suffix) = (s.get(..split)?, s.get(split..)?);
    let (int_part, frac) = num.split_once('.').unwrap_or((num, ""));
    if num.is_empty() || int_part.len() > 24 || frac.len() > 9 {
        return None;
    }
    let (mul, binary): (i128, bool) = match suffix {
        "m" => (1, false),
        "" => (1_000, false),
        "k" => (1_000_000, false),
        "M" => (1_000_000_000, false),
        "G" => (1_000_000_000_000, false),
        "T" => (1_000_000_000_000_000, false),
        "Ki" => (1_000 << 10, true),
        "Mi" => (1_000 << 20, true),
        "Gi" => (1_000 << 30, true),
        "Ti" => (1_000 << 40, true),
        _ => return None,
    };
    let i: i128 = if int_part.is_empty() {
        0
    } else {
        int_part.parse().ok()?
    };
    let f: i128 = if frac.is_empty() {
        0
    } else {
        frac.parse().ok()?
    };
    let scale = 10i128.checked_pow(u32::try_from(frac.len()).ok()?)?;
    // Fractions round up, as the apiserver rounds quantities to milli precision.
    let milli = i
        .checked_mul(mul)?
        .checked_add((f.checked_mul(mul)? + scale - 1) / scale)?;
    (milli <= MAX_MILLI).then_some(Q { milli, binary })
}

impl Q {
    /// `Quantity.Add`: the sum keeps the receiver's format (a zero receiver takes the other's).
    pub fn plus(self, o: Q) -> Q {
        Q {
            milli: self.milli.saturating_add(o.milli).min(MAX_MILLI),
            binary: if self.milli == 0 {
                o.binary
            } else {
                self.binary
            },
        }
    }
}

impl std::fmt::Display for Q {
    /// The canonical form (`950m`, `1`, `290Mi`, `1536Mi`, `0`).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let m = self.milli;
        if m == 0 {
            return f.write_str("0");
        }
        if self.binary && m % 1_000 == 0 {
            let mut bytes = m / 1_000;
            let mut i = 0;
            while i < 4 && bytes % 1024 == 0 {
                bytes /= 1024;
                i += 1;
            }
            if let (Some(suffix), true) = (["", "Ki", "Mi", "Gi", "Ti"].get(i), i > 0) {
                return write!(f, "{bytes}{suffix}");
            }
        }
        if m % 1_000 != 0 {
            return write!(f, "{m}m");
        }
        let mut v = m / 1_000;
        let mut i = 0;
        while i < 4 && v % 1_000 == 0 {
            v /= 1_000;
            i += 1;
        }
        write!(f, "{v}{}", ["", "k", "M", "G", "T"].get(i).unwrap_or(&""))
    }
}

/// `int64(float64(req) / float64(allocatable) * 100)`: truncated; 0 when nothing is allocatable.
pub fn percent(milli: i128, allocatable: i128) -> i64 {
    if allocatable <= 0 {
        return 0;
    }
    ((milli as f64) / (allocatable as f64) * 100.0) as i64
}

fn container_map(c: &Container, limits: bool) -> BTreeMap<String, Q> {
    c.resources
        .as_ref()
        .and_then(|r| {
            if limits {
                r.limits.as_ref()
            } else {
                r.requests.as_ref()
            }
        })
        .map(|m| {
            crate::sort::to_map(
                m.iter()
                    .filter_map(|(k, v)| parse(&v.0).map(|q| (k.clone(), q))),
            )
        })
        .unwrap_or_default()
}

/// A pod's effective requests and limits: the sum over its containers (and restartable init
/// containers), at least the largest of its other init containers', plus the pod overhead.
pub fn pod_requests_and_limits(p: &Pod) -> (BTreeMap<String, Q>, BTreeMap<String, Q>) {
    (pod_resources(p, false), pod_resources(p, true))
}

/// A pod's effective requests (`limits` false) or limits, the rule of
/// [`pod_requests_and_limits`] (component-helpers `resource.PodRequests`, which the scheduler's
/// NodeResourcesFit uses too).
pub fn pod_resources(p: &Pod, limits: bool) -> BTreeMap<String, Q> {
    let Some(spec) = p.spec.as_ref() else {
        return BTreeMap::new();
    };
    let mut sum: BTreeMap<String, Q> = BTreeMap::new();
    let add_into = |acc: &mut BTreeMap<String, Q>, m: BTreeMap<String, Q>| {
        for (k, q) in m {
            let e = acc.entry(k).or_default();
            *e = e.plus(q);
        }
    };
    for c in &spec.containers {
        add_into(&mut sum, container_map(c, limits));
    }
    let mut sidecars: BTreeMap<String, Q> = BTreeMap::new();
    let mut init_max: BTreeMap<String, Q> = BTreeMap::new();
    for c in spec.init_containers.iter().flatten() {
        let m = container_map(c, limits);
        if c.restart_policy.as_deref() == Some("Always") {
            add_into(&mut sidecars, m);
        } else {
            // An init container runs beside the sidecars started before it.
            for (k, q) in m {
                let with = q.plus(sidecars.get(&k).copied().unwrap_or_default());
                let e = init_max.entry(k).or_default();
                if with.milli > e.milli {
                    *e = with;
                }
            }
        }
    }
    add_into(&mut sum, sidecars);
    for (k, q) in init_max {
        let e = sum.entry(k).or_default();
        if q.milli > e.milli {
            *e = q;
        }
    }
    if let Some(o) = spec.overhead.as_ref() {
        add_into(
            &mut sum,
            crate::sort::to_map(
                o.iter()
                    .filter_map(|(k, v)| parse(&v.0).map(|q| (k.clone(), q))),
            ),
        );
    }
    sum
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(q: &str) -> String {
        parse(q).unwrap().to_string()
    }

    #[test]
    fn canonical_forms() {
        assert_eq!(s("100m"), "100m");
        assert_eq!(s("1000m"), "1");
        assert_eq!(s("0.5"), "500m");
        assert_eq!(s("70Mi"), "70Mi");
        assert_eq!(s("1024Mi"), "1Gi");
        assert_eq!(s("1.5Gi"), "1536Mi");
        assert_eq!(s("16283440Ki"), "16283440Ki");
        assert_eq!(s("2000"), "2k");
        assert_eq!(s("0"), "0");
        assert!(parse("12x").is_none());
        assert!(parse("").is_none());
    }

    /// kind's control plane: 950m of 8 CPUs is 11%, 290Mi of 16283440Ki is 1%.
    #[test]
    fn sums_and_percentages() {
        let cpu = ["100m", "250m", "200m", "100m", "100m", "100m", "100m"]
            .iter()
            .fold(Q::default(), |a, q| a.plus(parse(q).unwrap()));
        assert_eq!(cpu.to_string(), "950m");
        assert_eq!(percent(cpu.milli, parse("8").unwrap().milli), 11);
        let mem = ["100Mi", "70Mi", "70Mi", "50Mi"]
            .iter()
            .fold(Q::default(), |a, q| a.plus(parse(q).unwrap()));
        assert_eq!(mem.to_string(), "290Mi");
        assert_eq!(percent(mem.milli, parse("16283440Ki").unwrap().milli), 1);
        assert_eq!(
            percent(
                parse("390Mi").unwrap().milli,
                parse("16283440Ki").unwrap().milli
            ),
            2
        );
        assert_eq!(percent(1, 0), 0);
    }
}
