//! NumPy arrays that joblib writes raw inside a pickle stream.
//!
//! `joblib.dump` pickles each NumPy array as a `joblib.numpy_pickle.NumpyArrayWrapper` object,
//! built from a state dict (`shape`, `dtype`, `numpy_array_alignment_bytes` …), and writes the
//! array's bytes right after that object's `BUILD`: for a dtype without Python objects, one byte
//! giving a padding length, that many padding bytes (only when the state names an alignment),
//! then `prod(shape) × itemsize` raw bytes; for a dtype with objects, a whole nested pickle
//! (protocol 2), which `joblib.load` unpickles. The outer stream then goes on. This module works
//! out, from the values the walker tracked, which of the two follows and how long it is, so that
//! the walker can skip the bytes or walk the nested pickle.
//!
//! It must never guess: a size it cannot work out exactly (a structured or sub-array dtype,
//! a shape that is not a tuple of integers, a product that overflows) is `None`, and the walk
//! stops there and says so.
use super::{Entries, Value};

/// What a NumPy dtype, as pickled, tells about the array data joblib writes for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Dtype {
    /// Bytes per element, when known.
    itemsize: Option<u64>,
    /// An object dtype (`O`): the data is a nested pickle.
    object: bool,
}

impl Dtype {
    /// The dtype `numpy.dtype(descr, False, True)` builds, from the `descr` NumPy pickles: a
    /// kind letter and a size (`f8`, `<i4`, `u1`, `b1`, `c16`, `M8`, `O8`, `S5`, `U10`, `V16`).
    /// `U` counts characters of four bytes; its state's `elsize` says the same in bytes.
    pub(super) fn from_descr(descr: &str) -> Dtype {
        let descr = descr.trim_start_matches(['<', '>', '=', '|']);
        let mut chars = descr.chars();
        let kind = chars.next();
        let digits = chars.as_str();
        let size = digits.parse::<u64>().ok();
        let itemsize = match kind {
            Some('U') => size.and_then(|n| n.checked_mul(4)),
            Some('b' | 'i' | 'u' | 'f' | 'c' | 'm' | 'M' | 'S' | 'V' | 'O') => size,
            _ => None,
        };
        Dtype {
            itemsize,
            object: kind == Some('O'),
        }
    }

    /// Apply the state NumPy's `BUILD` gives a dtype: `(version, endian, subarray, names,
    /// fields, elsize, alignment, flags[, metadata])`. A flexible type's `elsize` is its size; a
    /// sub-array or a structured dtype may hold objects anywhere, so its layout is not known.
    pub(super) fn apply_state(&mut self, state: &Value) {
        let Value::Tuple(items) = state else {
            self.itemsize = None;
            return;
        };
        let (Some(Value::Int(3 | 4)), Some(subarray), Some(names), Some(elsize)) =
            (items.first(), items.get(2), items.get(3), items.get(5))
        else {
            self.itemsize = None;
            return;
        };
        if !matches!(subarray, Value::None) || !matches!(names, Value::None) {
            self.itemsize = None;
            return;
        }
        match elsize {
            Value::Int(-1) => {}
            Value::Int(n) if *n > 0 => self.itemsize = u64::try_from(*n).ok(),
            _ => self.itemsize = None,
        }
    }
}

/// What follows a `NumpyArrayWrapper`'s `BUILD` in the stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum ArrayData {
    /// `bytes` of raw data, after a padding-length byte and its padding when `padded`.
    Raw { bytes: u64, padded: bool },
    /// A nested pickle stream holding an object array.
    Pickle,
}

/// The data that follows a wrapper whose attributes are `attributes`, or `None` when it cannot
/// be worked out.
pub(super) fn array_data(attributes: &Entries) -> Option<ArrayData> {
    if attributes.overflow {
        return None;
    }
    let field = |name: &str| attributes.get(name);
    let dtype = match field("dtype")? {
        Value::Dtype(dtype) => dtype.borrow().clone(),
        _ => return None,
    };
    if dtype.object {
        return Some(ArrayData::Pickle);
    }
    let Value::Tuple(shape) = field("shape")? else {
        return None;
    };
    let mut bytes = dtype.itemsize?;
    for dim in shape.iter() {
        let Value::Int(dim) = dim else {
            return None;
        };
        bytes = bytes.checked_mul(u64::try_from(*dim).ok()?)?;
    }
    let padded = match field("numpy_array_alignment_bytes") {
        None | Some(Value::None) => false,
        Some(Value::Int(_)) => true,
        Some(_) => return None,
    };
    Some(ArrayData::Raw { bytes, padded })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;
    use std::rc::Rc;

    fn text(s: &str) -> Value {
        Value::Text(Rc::from(s))
    }

    fn tuple(items: Vec<Value>) -> Value {
        Value::Tuple(Rc::from(items))
    }

    fn state(elsize: i64) -> Value {
        tuple(vec![
            Value::Int(3),
            text("<"),
            Value::None,
            Value::None,
            Value::None,
            Value::Int(elsize),
            Value::Int(-1),
            Value::Int(0),
        ])
    }

    #[test]
    fn itemsizes_follow_numpy() {
        for (descr, elsize, itemsize) in [
            ("f8", -1, Some(8)),
            ("<i4", -1, Some(4)),
            ("u1", -1, Some(1)),
            ("b1", -1, Some(1)),
            ("c16", -1, Some(16)),
            ("M8", -1, Some(8)),
            ("m8", -1, Some(8)),
            ("U10", 40, Some(40)),
            ("S5", 5, Some(5)),
            ("V16", 16, Some(16)),
            ("f8", 0, None),
            ("x8", -1, None),
            ("f", -1, None),
        ] {
            let mut dtype = Dtype::from_descr(descr);
            dtype.apply_state(&state(elsize));
            assert_eq!(dtype.itemsize, itemsize, "{descr} {elsize}");
            assert!(!dtype.object);
        }
        assert!(Dtype::from_descr("O8").object);
        // a structured dtype, or one without a state, has no known layout
        let mut structured = Dtype::from_descr("V8");
        let Value::Tuple(items) = state(8) else {
            unreachable!()
        };
        let mut items = items.to_vec();
        items[3] = tuple(vec![text("a")]);
        structured.apply_state(&tuple(items));
        assert_eq!(structured.itemsize, None);
        let mut bare = Dtype::from_descr("f8");
        bare.apply_state(&Value::Other);
        assert_eq!(bare.itemsize, None);
    }

    #[test]
    fn array_data_follows_the_wrapper_state() {
        let dict = |entries: Vec<(&str, Value)>| {
            let mut attributes = Entries::default();
            for (key, value) in entries {
                attributes.set(text(key), value);
            }
            attributes
        };
        let f8 = || Value::Dtype(Rc::new(RefCell::new(Dtype::from_descr("f8"))));
        let shape = |dims: Vec<i64>| tuple(dims.into_iter().map(Value::Int).collect());
        let full = dict(vec![
            ("shape", shape(vec![3, 2])),
            ("dtype", f8()),
            ("numpy_array_alignment_bytes", Value::Int(16)),
        ]);
        assert_eq!(
            array_data(&full),
            Some(ArrayData::Raw {
                bytes: 48,
                padded: true
            })
        );
        let old = dict(vec![("shape", shape(vec![])), ("dtype", f8())]);
        assert_eq!(
            array_data(&old),
            Some(ArrayData::Raw {
                bytes: 8,
                padded: false
            })
        );
        let object = dict(vec![(
            "dtype",
            Value::Dtype(Rc::new(RefCell::new(Dtype::from_descr("O8")))),
        )]);
        assert_eq!(array_data(&object), Some(ArrayData::Pickle));
        // a later value for a key replaces the earlier one, as in a Python dict
        let mut twice = dict(vec![("shape", shape(vec![1])), ("dtype", f8())]);
        twice.set(text("shape"), shape(vec![4]));
        assert_eq!(
            array_data(&twice),
            Some(ArrayData::Raw {
                bytes: 32,
                padded: false
            })
        );
        twice.overflow = true;
        assert_eq!(array_data(&twice), None);
        for unknown in [
            dict(vec![("shape", shape(vec![-1])), ("dtype", f8())]),
            dict(vec![("shape", shape(vec![i64::MAX, 4])), ("dtype", f8())]),
            dict(vec![("shape", Value::Other), ("dtype", f8())]),
            dict(vec![("shape", shape(vec![2]))]),
            dict(vec![
                ("shape", shape(vec![2])),
                ("dtype", f8()),
                ("numpy_array_alignment_bytes", Value::Other),
            ]),
        ] {
            assert_eq!(array_data(&unknown), None);
        }
    }
}
