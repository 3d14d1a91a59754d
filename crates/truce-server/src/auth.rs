//! Roles, API tokens (only their SHA-256 is ever stored) and the rate limits: per token, and
//! per client address for requests without a token.

use std::collections::HashMap;
use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

/// What a token may do. Every role may read; admin may do everything.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// Read only (also what a request without a token gets).
    Public,
    /// Submits field reports.
    Monitor,
    /// Reviews verdicts (verify, dispute, mark duplicate) and manages agreements; may also submit
    /// reports.
    Analyst,
    /// Manages tokens; may do everything.
    Admin,
}

impl Role {
    pub const ALL: &'static [Role] = &[Role::Public, Role::Monitor, Role::Analyst, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Public => "public",
            Role::Monitor => "monitor",
            Role::Analyst => "analyst",
            Role::Admin => "admin",
        }
    }

    /// Whether a token of this role may do what `needed` may do.
    pub fn allows(self, needed: Role) -> bool {
        match needed {
            Role::Public => true,
            Role::Monitor => matches!(self, Role::Monitor | Role::Analyst | Role::Admin),
            Role::Analyst => matches!(self, Role::Analyst | Role::Admin),
            Role::Admin => self == Role::Admin,
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A role name that is not one of `public`, `monitor`, `analyst`, `admin`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role {0:?} (expected public, monitor, analyst or admin)")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Role, UnknownRole> {
        Role::ALL
            .iter()
            .copied()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| UnknownRole(s.to_string()))
    }
}

/// The prefix of every token truce issues (lets scanners recognise leaked tokens).
pub const TOKEN_PREFIX: &str = "truce_";

/// A fresh random token: `truce_` followed by 64 hex digits (256 bits from the OS).
pub fn generate_token() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)?;
    Ok(format!("{TOKEN_PREFIX}{}", hex::encode(bytes)))
}

/// What the store keeps of a token: the lower-case hex SHA-256 of its UTF-8 bytes.
pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The bearer token of an `Authorization` header value, if it is one.
pub fn bearer(value: &str) -> Option<&str> {
    let (scheme, rest) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return None;
    }
    let token = rest.trim();
    (!token.is_empty()).then_some(token)
}

/// The key of a client's anonymous rate-limit bucket: its IPv4 address (also when written as
/// an IPv4-mapped IPv6 address), or the /64 prefix of its IPv6 address (a single host usually
/// holds a whole /64, so a bucket per address would be trivial to evade).
pub fn client_key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

/// A token-bucket rate limit per key (a token's hash): `rate` requests per second sustained,
/// bursts of up to `burst`.
#[derive(Debug)]
pub struct RateLimiter {
    rate: f64,
    burst: f64,
    buckets: Mutex<HashMap<String, Bucket>>,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    last: Instant,
}

impl RateLimiter {
    pub fn new(rate_per_s: f64, burst: u32) -> Self {
        RateLimiter {
            rate: rate_per_s.max(0.001),
            burst: f64::from(burst.max(1)),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one request from `key`'s bucket at time `now`; `Err(wait)` when it is empty.
    pub fn check_at(&self, key: &str, now: Instant) -> Result<(), Duration> {
        let mut map = match self.buckets.lock() {
            Ok(m) => m,
            Err(poisoned) => poisoned.into_inner(),
        };
        if map.len() > 100_000 {
            // Forget buckets that have refilled completely: they are equivalent to new ones.
            let full = Duration::from_secs_f64(self.burst / self.rate);
            map.retain(|_, b| now.saturating_duration_since(b.last) < full);
        }
        let b = map.entry(key.to_string()).or_insert(Bucket {
            tokens: self.burst,
            last: now,
        });
        let elapsed = now.saturating_duration_since(b.last).as_secs_f64();
        b.tokens = (b.tokens + elapsed * self.rate).min(self.burst);
        b.last = now;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - b.tokens) / self.rate))
        }
    }

    pub fn check(&self, key: &str) -> Result<(), Duration> {
        self.check_at(key, Instant::now())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_parse_and_allow() {
        for r in Role::ALL {
            assert_eq!(r.as_str().parse::<Role>(), Ok(*r));
        }
        assert!("root".parse::<Role>().is_err());
        assert!(Role::Monitor.allows(Role::Public));
        assert!(!Role::Monitor.allows(Role::Analyst));
        assert!(Role::Analyst.allows(Role::Monitor));
        assert!(!Role::Analyst.allows(Role::Admin));
        assert!(Role::Admin.allows(Role::Analyst));
        assert!(!Role::Public.allows(Role::Monitor));
    }

    #[test]
    fn tokens_are_random_and_hashed() {
        let a = generate_token().unwrap();
        let b = generate_token().unwrap();
        assert_ne!(a, b);
        assert!(a.starts_with(TOKEN_PREFIX) && a.len() == TOKEN_PREFIX.len() + 64);
        // SHA-256("abc")
        assert_eq!(
            hash_token("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(bearer("Bearer  xyz "), Some("xyz"));
        assert_eq!(bearer("bearer xyz"), Some("xyz"));
        assert_eq!(bearer("Basic xyz"), None);
        assert_eq!(bearer("Bearer "), None);
    }

    #[test]
    fn client_keys_group_ipv6_by_64() {
        let key = |s: &str| client_key(s.parse().unwrap());
        assert_eq!(key("203.0.113.7"), "203.0.113.7");
        assert_eq!(key("::ffff:203.0.113.7"), "203.0.113.7");
        assert_eq!(key("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
        assert_eq!(key("2001:db8:1:2:ffff::9"), key("2001:db8:1:2::1"));
        assert_ne!(key("2001:db8:1:3::1"), key("2001:db8:1:2::1"));
    }

    #[test]
    fn rate_limit_refills() {
        let l = RateLimiter::new(2.0, 3);
        let t0 = Instant::now();
        assert!(l.check_at("k", t0).is_ok());
        assert!(l.check_at("k", t0).is_ok());
        assert!(l.check_at("k", t0).is_ok());
        let wait = l.check_at("k", t0).unwrap_err();
        assert!(wait > Duration::from_millis(400) && wait <= Duration::from_millis(500));
        assert!(l.check_at("other", t0).is_ok());
        assert!(l.check_at("k", t0 + Duration::from_millis(500)).is_ok());
        assert!(l.check_at("k", t0 + Duration::from_millis(500)).is_err());
    }
}
