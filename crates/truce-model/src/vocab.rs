//! Contract 1's closed vocabularies. Each term prints as the contract spells it and parses back.

use std::fmt;
use std::str::FromStr;

/// A word outside a closed vocabulary: names the vocabulary and the word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownTerm {
    pub vocabulary: &'static str,
    pub term: String,
}

impl fmt::Display for UnknownTerm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown {} {:?}", self.vocabulary, self.term)
    }
}

impl std::error::Error for UnknownTerm {}

macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident, $vocab:literal, { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($variant),+ }

        impl $name {
            /// Every term, in contract order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The contract's spelling.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = UnknownTerm;
            fn from_str(s: &str) -> Result<Self, UnknownTerm> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err(UnknownTerm { vocabulary: $vocab, term: s.to_string() }),
                }
            }
        }
    };
}

vocabulary!(
    /// A party to the conflict or the process.
    Party, "party", {
    Ru => "RU", Ua => "UA", Us => "US", Eu => "EU", Uk => "UK", Nato => "NATO", Other => "other",
});

vocabulary!(
    /// Whose forces carried out an incident.
    Side, "perpetrator", { Ru => "RU", Ua => "UA", Unknown => "unknown" });

vocabulary!(
    /// Who asserts that an incident happened.
    Reporter, "reported_by", { Ua => "UA", Ru => "RU", Media => "media", Other => "other" });

vocabulary!(Weapon, "weapon", {
    BallisticMissile => "ballistic_missile", CruiseMissile => "cruise_missile", Missile => "missile",
    Drone => "drone", GlideBomb => "glide_bomb", Airstrike => "airstrike", Artillery => "artillery",
    Rocket => "rocket", Ground => "ground", Unknown => "unknown",
});

vocabulary!(Target, "target", {
    Energy => "energy", Civilian => "civilian", Military => "military", Transport => "transport",
    Industrial => "industrial", Government => "government", Unknown => "unknown",
});

vocabulary!(Qualifier, "casualty qualifier", {
    Exact => "exact", AtLeast => "at_least", MoreThan => "more_than", Approx => "approx", UpTo => "up_to",
});

vocabulary!(Act, "act", {
    Propose => "propose", Accept => "accept", AcceptConditionally => "accept_conditionally",
    Reject => "reject", Commit => "commit", Demand => "demand", Accuse => "accuse", Deny => "deny",
    Condemn => "condemn",
});

vocabulary!(About, "about", {
    GeneralCeasefire => "general_ceasefire", EnergyMoratorium => "energy_moratorium",
    MaritimeCeasefire => "maritime_ceasefire", EasterTruce => "easter_truce", MayTruce => "may_truce",
    PeaceTalks => "peace_talks", PrisonerExchange => "prisoner_exchange", Sanctions => "sanctions",
    WeaponsAid => "weapons_aid", Territory => "territory", Other => "other",
});

vocabulary!(DatePrecision, "date_precision", { Day => "day", Month => "month", Unknown => "unknown" });

vocabulary!(GeoPrecision, "geo_precision", {
    Settlement => "settlement", Admin1 => "admin1", Country => "country",
});

impl Side {
    /// The party a side belongs to, if known.
    pub fn party(self) -> Option<Party> {
        match self {
            Side::Ru => Some(Party::Ru),
            Side::Ua => Some(Party::Ua),
            Side::Unknown => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trips<T: FromStr + Copy + PartialEq + fmt::Debug>(
        all: &[T],
        name: impl Fn(T) -> &'static str,
    ) {
        for &t in all {
            assert_eq!(name(t).parse::<T>().ok(), Some(t));
        }
    }

    #[test]
    fn every_term_round_trips() {
        round_trips(Party::ALL, Party::as_str);
        round_trips(Side::ALL, Side::as_str);
        round_trips(Reporter::ALL, Reporter::as_str);
        round_trips(Weapon::ALL, Weapon::as_str);
        round_trips(Target::ALL, Target::as_str);
        round_trips(Qualifier::ALL, Qualifier::as_str);
        round_trips(Act::ALL, Act::as_str);
        round_trips(About::ALL, About::as_str);
        round_trips(DatePrecision::ALL, DatePrecision::as_str);
        round_trips(GeoPrecision::ALL, GeoPrecision::as_str);
    }

    #[test]
    fn unknown_terms_name_their_vocabulary() {
        let err = "laser".parse::<Weapon>().unwrap_err();
        assert_eq!(err.to_string(), "unknown weapon \"laser\"");
    }
}
