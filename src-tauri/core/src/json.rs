//! JSON read from files people edit by hand (settings, routines). serde_json keeps the last
//! of a key written twice in one object. In a hand-edited file that hides a slip
//! (`"reps": 4, … "reps": 3`), so here a repeated key is an error that names the key, with
//! serde_json's line and column. Everything else reads exactly as `serde_json::from_slice`.

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use std::fmt;

/// Why a hand-edited file is not a JSON value: not JSON at all, or JSON with a key written
/// twice in one object.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("not valid JSON: {0}")]
    Syntax(serde_json::Error),
    #[error("{0}")]
    RepeatedKey(serde_json::Error),
}

/// `bytes` as one JSON value; an object with the same key twice, at any depth, is refused.
pub fn from_slice_without_repeated_keys(bytes: &[u8]) -> Result<Value, ReadError> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let read = AnyValue
        .deserialize(&mut deserializer)
        .and_then(|value| deserializer.end().map(|()| value));
    read.map_err(|e| {
        // Only the visitor below raises data errors: the rest are serde_json's own.
        if e.is_data() {
            ReadError::RepeatedKey(e)
        } else {
            ReadError::Syntax(e)
        }
    })
}

/// Builds a `Value` as serde_json's own visitor does, but checks each object's keys.
/// serde_json's depth limit still applies: it is enforced by its deserializer.
struct AnyValue;

impl<'de> DeserializeSeed<'de> for AnyValue {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for AnyValue {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Value, E> {
        Ok(value.into())
    }

    fn visit_u64<E>(self, value: u64) -> Result<Value, E> {
        Ok(value.into())
    }

    fn visit_f64<E>(self, value: f64) -> Result<Value, E> {
        Ok(Number::from_f64(value).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, value: &str) -> Result<Value, E> {
        Ok(Value::String(value.to_owned()))
    }

    fn visit_string<E>(self, value: String) -> Result<Value, E> {
        Ok(Value::String(value))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(AnyValue)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if object.contains_key(&key) {
                return Err(de::Error::custom(format!(
                    "\"{key}\" is written twice in one object; keep one"
                )));
            }
            let value = map.next_value_seed(AnyValue)?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn read(text: &str) -> Result<Value, ReadError> {
        from_slice_without_repeated_keys(text.as_bytes())
    }

    #[test]
    fn a_repeated_key_is_named_with_its_place_at_any_depth() {
        let top = read(r#"{"a": 1, "a": 2}"#).unwrap_err();
        assert!(matches!(top, ReadError::RepeatedKey(_)), "{top:?}");
        assert!(top.to_string().contains("\"a\" is written twice"), "{top}");
        assert!(top.to_string().contains("line 1 column"), "{top}");

        let deep = read("{\"steps\": [{\"reps\": 4},\n {\"reps\": 4, \"reps\": 3}]}").unwrap_err();
        assert!(
            deep.to_string().contains("\"reps\" is written twice"),
            "{deep}"
        );
        assert!(deep.to_string().contains("line 2"), "{deep}");
    }

    #[test]
    fn the_same_key_in_different_objects_is_fine() {
        let value = read(r#"{"a": {"x": 1}, "b": {"x": 2}, "c": [{"x": 3}, {"x": 4}]}"#).unwrap();
        assert_eq!(value["c"][1]["x"], 4);
    }

    #[test]
    fn not_json_is_a_syntax_error() {
        for text in ["{", "{\"a\": 1} trailing", "", "[1,]", "\u{feff}{}"] {
            assert!(
                matches!(read(text), Err(ReadError::Syntax(_))),
                "{text:?}: {:?}",
                read(text)
            );
        }
    }

    fn any_json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            ".{0,8}".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 64, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::btree_map(".{0,6}", inner, 0..6)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        /// Without repeated keys, the result is exactly serde_json's.
        #[test]
        fn reads_as_serde_json_does(value in any_json()) {
            let text = serde_json::to_string_pretty(&value).unwrap();
            let ours = read(&text).unwrap();
            let theirs: Value = serde_json::from_str(&text).unwrap();
            prop_assert_eq!(ours, theirs);
        }
    }
}
