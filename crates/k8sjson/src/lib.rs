//! The JSON codec of the k8s-openapi types: [`from_value`] and [`to_value`] give exactly what
//! `serde_json::from_value` and `serde_json::to_value` give (the same objects, the same error
//! messages, the same trees), with far less code in the wasm bundle.
//!
//! Why: k8s-openapi's `Deserialize`/`Serialize` impls are written for any serde format; driven
//! by `serde_json::Value` they become one visitor, one field-identifier deserializer and one
//! `next_value` instantiation per field type for every struct (≈ 320 KB of the optimised wasm
//! for the kinds the playground stores, plus ≈ 100 KB to serialize). The playground only ever
//! converts between these types and `serde_json::Value`, so the impls in `generated.rs`, generated
//! from k8s-openapi's own sources by `tests/generate.rs`, do that one thing, from a table per
//! struct ([`Shape`]: each field's JSON name, offset and the reader/writer of its type): one
//! loop over the object's entries in the order serde visits them (the map's order) and one
//! over the fields to write them, shared by every struct; a struct's optional fields and
//! vectors of it are read by shared code too, through its [`Codec`] (its table and its
//! `Default`, kept out of line in `place`). Leaves with their own parsing (`Quantity`,
//! `IntOrString`, `ByteString`, `FieldsV1`, `RawExtension`) have their visitors' behaviour
//! written out here (`tests/oracle.rs`, `leaves_agree_with_serde`); `Time` and
//! `MicroTime` are read by [`time::parse`] with Go's `time.Parse` messages (the one place where
//! the errors are not serde's: jiff's wording was never what a cluster prints).
//!
//! `tests/oracle.rs` checks the equivalence on random and mutated objects of every root kind
//! (decode: equal objects or equal error messages; encode: equal trees).
//!
//! A new kind: add it to `ROOTS` in `tests/generate.rs`, run
//! `K8SJSON_BLESS=1 cargo test -p k8sjson --test generate`, and use [`from_value`] /
//! [`to_value`] for it (a `serde_json::from_value::<NewKind>` anywhere in the app brings the
//! whole serde tree of its fields back into the bundle).

use serde::de::{Error as _, Unexpected};
use serde_json::{Error, Map, Value};
use std::collections::BTreeMap;
use std::marker::PhantomData;
use std::mem::MaybeUninit;

#[rustfmt::skip]
mod generated;
pub mod time;

#[doc(hidden)]
pub use generated::SHAPES;

/// A k8s-openapi type (or a container of them) read from and written to a JSON tree.
pub trait Json: Sized {
    /// A generated struct's [`Codec`] (`table_json!`): its optional fields and vector items are
    /// read by code shared by every struct ([`read_opt_table`], [`fill`]) instead of code per
    /// struct. `None` for every other type.
    #[doc(hidden)]
    const CODEC: Option<Codec<Self>> = None;

    /// What `serde_json::from_value::<Self>(v)` returns (its error messages included).
    fn from_json(v: Value) -> Result<Self, Error>;
    /// What `serde_json::to_value(self)` returns (`Value::Null` where it fails, which it does
    /// not for these types).
    fn to_json(&self) -> Value;

    /// `v` read into `slot`, a generated struct's field that holds `Self`'s default (each key
    /// of an object is read once, into a struct made by `Default`): what
    /// `*slot = Self::from_json(v)?` leaves. A generated struct is read in place (no move of
    /// the struct, no drop of the default it replaces).
    #[doc(hidden)]
    fn read(slot: &mut Self, v: Value) -> Result<(), Error> {
        *slot = Self::from_json(v)?;
        Ok(())
    }

    /// `v` (not null) read into `slot`, a generated struct's optional field that holds `None`:
    /// what `*slot = Some(Self::from_json(v)?)` leaves (a generated struct is read in place).
    #[doc(hidden)]
    fn read_some(slot: &mut Option<Self>, v: Value) -> Result<(), Error> {
        *slot = Some(Self::from_json(v)?);
        Ok(())
    }

    /// Whether `v` reads as `Self`, the value dropped at once: `Self::from_json(v).map(drop)`
    /// (intake's strict checks). A generated struct is read in place into its default and
    /// dropped there (no move of the struct out of the read, one drop).
    #[doc(hidden)]
    fn check(v: Value) -> Result<(), Error> {
        Self::from_json(v).map(drop)
    }

    /// A deep copy: what `self.clone()` gives. A generated struct is copied through its table
    /// ([`Shape`]), field by field, by code shared by every struct; only leaves (strings,
    /// numbers, `Quantity`, times, …) use their `Clone`. Copying every k8s-openapi object
    /// through here keeps their derived `Clone`s (one function per struct and per `Option` of
    /// it) out of the wasm bundle (issue #17).
    fn dup(&self) -> Self;

    /// `self` copied into `slot`, which holds `Self`'s default: what `*slot = self.dup()`
    /// leaves (a generated struct is copied in place).
    #[doc(hidden)]
    fn dup_into(&self, slot: &mut Self) {
        *slot = self.dup();
    }

    /// A copy of a vector of `Self` (a generated struct's items are copied by code shared by
    /// every struct, a leaf's by its `Clone`).
    #[doc(hidden)]
    fn dup_vec(v: &[Self]) -> Vec<Self> {
        let mut out: Vec<Self> = Vec::with_capacity(v.len());
        if let Some(c) = Self::CODEC {
            // SAFETY: room for `v.len()` items; `c` is `Self`'s codec
            unsafe {
                copy_items(
                    v.as_ptr().cast(),
                    out.as_mut_ptr().cast(),
                    v.len(),
                    size_of::<Self>(),
                    c.raw,
                );
                out.set_len(v.len());
            }
        } else {
            for x in v {
                out.push(x.dup());
            }
        }
        out
    }

    /// A copy of a map of `Self` (a leaf's by its `Clone`).
    #[doc(hidden)]
    fn dup_map(m: &BTreeMap<String, Self>) -> BTreeMap<String, Self> {
        let mut out = BTreeMap::new();
        for (k, v) in m {
            out.insert(k.clone(), v.dup());
        }
        out
    }
}

/// A leaf's copies: its `Clone`.
macro_rules! leaf_dup {
    () => {
        fn dup(&self) -> Self {
            self.clone()
        }
        fn dup_vec(v: &[Self]) -> Vec<Self> {
            v.to_vec()
        }
        fn dup_map(m: &BTreeMap<String, Self>) -> BTreeMap<String, Self> {
            m.clone()
        }
    };
}

/// `serde_json::from_value::<T>(v)`, byte for byte.
pub fn from_value<T: Json>(v: Value) -> Result<T, Error> {
    T::from_json(v)
}

/// `serde_json::to_value(t)`, byte for byte (never fails for these types).
pub fn to_value<T: Json>(t: &T) -> Value {
    t.to_json()
}

/// A deep copy of `t`: what `t.clone()` gives, without the derived `Clone` of k8s-openapi's
/// structs in the bundle ([`Json::dup`]; issue #17).
pub fn copy<T: Json>(t: &T) -> T {
    t.dup()
}

/// A deep copy of a slice: what `v.to_vec()` gives ([`copy`]).
pub fn copy_slice<T: Json>(v: &[T]) -> Vec<T> {
    T::dup_vec(v)
}

/// [`std::sync::Arc::unwrap_or_clone`] through [`copy`].
pub fn unwrap_or_copy<T: Json>(a: std::sync::Arc<T>) -> T {
    std::sync::Arc::try_unwrap(a).unwrap_or_else(|a| a.dup())
}

/// [`std::sync::Arc::make_mut`] through [`copy`]: `a`'s object, copied first if it is shared.
pub fn make_mut<T: Json>(a: &mut std::sync::Arc<T>) -> &mut T {
    if std::sync::Arc::get_mut(a).is_none() {
        *a = std::sync::Arc::new(a.dup());
    }
    match std::sync::Arc::get_mut(a) {
        Some(t) => t,
        // `a` was just replaced by an `Arc` no one else holds
        None => unreachable!(),
    }
}

/// Whether two objects are the same API object: their JSON trees are equal (what the apiserver
/// stores and compares). Used instead of the derived `PartialEq` of k8s-openapi's types, whose
/// code for every field type of a whole object tree (pod specs, volume sources, …) would
/// otherwise be in the wasm bundle beside this codec (issue #17). It differs from `==` only
/// below the precision a `Time` (seconds) or `MicroTime` (microseconds) is written with.
#[inline(never)]
pub fn same<T: Json>(a: &T, b: &T) -> bool {
    same_value(&a.to_json(), &b.to_json())
}

/// `Value`'s equality, out of line (one copy for every [`same`]).
#[inline(never)]
fn same_value(a: &Value, b: &Value) -> bool {
    a == b
}

/// serde_json's own `Value::unexpected`.
fn unexpected(v: &Value) -> Unexpected<'_> {
    match v {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => Unexpected::Unsigned(u),
            (None, Some(i)) => Unexpected::Signed(i),
            _ => Unexpected::Float(n.as_f64().unwrap_or(0.0)),
        },
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

/// serde's "invalid type: {what v is}, expected {expected}".
fn invalid_type(v: &Value, expected: &str) -> Error {
    Error::invalid_type(unexpected(v), &expected)
}

/// The entries of a struct's object (serde visits them in the map's order).
#[doc(hidden)]
pub fn object(v: Value, expected: &str) -> Result<Map<String, Value>, Error> {
    match v {
        Value::Object(m) => Ok(m),
        other => Err(invalid_type(&other, expected)),
    }
}

/// The index of `key` in a struct's field names (`names.len()` for a key it ignores): one
/// table and one loop for every struct instead of a chain of string compares in each.
#[doc(hidden)]
#[inline(never)]
pub fn field(key: &str, names: &[&str]) -> usize {
    names.iter().position(|n| *n == key).unwrap_or(names.len())
}

/// A struct's entries in the order serde visits them (the map's order), each handed to `f`
/// with its key's index in `names` (`names.len()` for a key the struct ignores). The loop
/// over the map is written once here instead of once per struct (bundle size, issue #17).
#[doc(hidden)]
#[inline(never)]
pub fn fields(
    v: Value,
    expected: &str,
    names: &[&str],
    f: &mut dyn FnMut(usize, Value) -> Result<(), Error>,
) -> Result<(), Error> {
    for (k, v) in object(v, expected)? {
        f(field(&k, names), v)?;
    }
    Ok(())
}

/// A resource's `apiVersion` or `kind`: a string that must equal `want`.
fn constant(v: Value, want: &'static str) -> Result<(), Error> {
    let s = String::from_json(v)?;
    if s == want {
        Ok(())
    } else {
        Err(Error::invalid_value(Unexpected::Str(&s), &want))
    }
}

/// A field k8s-openapi reads without a default (`missing field` when absent).
#[doc(hidden)]
pub fn present<T>(v: Option<T>, field: &'static str) -> Result<T, Error> {
    v.ok_or_else(|| Error::missing_field(field))
}

/// The map insert every written field shares (kept out of line: one copy for every type).
#[inline(never)]
fn put(m: &mut Map<String, Value>, key: &str, v: Value) {
    m.insert(key.to_owned(), v);
}

/// How a struct's field is read from its JSON value: written at `base + at` (see [`Slot`]).
type Read = unsafe fn(*mut u8, Value) -> Result<(), Error>;
/// How a struct's field is written: `None` for an optional field that is `None`.
type Write = unsafe fn(*const u8) -> Option<Value>;
/// How a struct's field is copied: from the field at the first pointer into the field at the
/// second, which holds its type's default (as [`place`] left it).
type Copy = unsafe fn(*const u8, *mut u8);

/// One field of a generated struct's [`Shape`]: its JSON name, its offset in the struct, and
/// how its Rust type is read, written and copied. A table of these is data: no code per struct
/// and field (bundle size, issue #17).
#[doc(hidden)]
pub struct Slot {
    name: &'static str,
    at: usize,
    how: How,
}

/// How a [`Slot`]'s field is read, written and copied.
#[derive(Clone, Copy)]
enum How {
    /// By its type's reader, writer and copier (one copy per field type, shared by every
    /// struct with a field of that type).
    Fns {
        read: Read,
        write: Write,
        copy: Copy,
    },
    /// An `Option<S>` of a generated struct `S` (its codec), by code shared by every struct
    /// (no function per field type: bundle size, issue #17).
    Opt(RawCodec),
    /// An `S` of a generated struct (its codec), likewise.
    Req(RawCodec),
}

impl Slot {
    /// An optional field (`Option<T>`: `None` when null, not written when `None`).
    ///
    /// # Safety
    /// `at` is the offset of the field `field` borrows, in `S` (what [`slot!`] passes).
    #[doc(hidden)]
    pub const unsafe fn opt<S, T: Json>(
        name: &'static str,
        at: usize,
        _field: fn(&S) -> &Option<T>,
    ) -> Slot {
        Slot {
            name,
            at,
            how: match T::CODEC {
                Some(c) => How::Opt(c.raw),
                None => How::Fns {
                    read: read_opt::<T>,
                    write: write_opt::<T>,
                    copy: copy_opt::<T>,
                },
            },
        }
    }

    /// A field read as `T` (a null is `T`'s error) and always written; only for writing
    /// (a struct with such a field has its own `from_json`: the field has no default).
    ///
    /// # Safety
    /// As [`Slot::opt`].
    #[doc(hidden)]
    pub const unsafe fn present<S, T: Json>(
        name: &'static str,
        at: usize,
        _field: fn(&S) -> &T,
    ) -> Slot {
        Slot {
            name,
            at,
            how: How::Fns {
                read: read_present::<T>,
                write: write_req::<T>,
                copy: copy_req::<T>,
            },
        }
    }

    /// A required field: k8s-openapi reads it as `Option<T>` and defaults a null one;
    /// `Serialize` always writes it.
    ///
    /// # Safety
    /// As [`Slot::opt`].
    #[doc(hidden)]
    pub const unsafe fn req<S, T: Json + Default>(
        name: &'static str,
        at: usize,
        _field: fn(&S) -> &T,
    ) -> Slot {
        Slot {
            name,
            at,
            how: match T::CODEC {
                Some(c) => How::Req(c.raw),
                None => How::Fns {
                    read: read_req::<T>,
                    write: write_req::<T>,
                    copy: copy_req::<T>,
                },
            },
        }
    }
}

impl Slot {
    /// The field at `p` read from `v` (what its type's `read_opt`/`read_req` does).
    ///
    /// # Safety
    /// `p` points at this slot's field, initialised (a default).
    unsafe fn read(&self, p: *mut u8, v: Value) -> Result<(), Error> {
        // SAFETY: the caller's; a codec is the field's struct's
        unsafe {
            match self.how {
                How::Fns { read, .. } => read(p, v),
                How::Opt(c) => read_opt_table(p, v, c),
                How::Req(c) => match v {
                    // the field holds its default already (as in `read_req`)
                    Value::Null => Ok(()),
                    v => decode(v, c.shape, p),
                },
            }
        }
    }

    /// The field at `p` written (`None` for an optional field that is `None`).
    ///
    /// # Safety
    /// `p` points at this slot's field.
    unsafe fn write(&self, p: *const u8) -> Option<Value> {
        // SAFETY: the caller's; a codec is the field's struct's
        unsafe {
            match self.how {
                How::Fns { write, .. } => write(p),
                How::Opt(c) => {
                    let s = (c.place)(p.cast_mut(), Mode::Inner);
                    (!s.is_null()).then(|| encode(c.shape, s))
                }
                How::Req(c) => Some(encode(c.shape, p)),
            }
        }
    }

    /// The field at `src` copied into the field at `dst`, which holds its default.
    ///
    /// # Safety
    /// `src` and `dst` point at this slot's fields of two structs.
    unsafe fn copy(&self, src: *const u8, dst: *mut u8) {
        // SAFETY: the caller's; a codec is the field's struct's
        unsafe {
            match self.how {
                How::Fns { copy, .. } => copy(src, dst),
                How::Opt(c) => {
                    let s = (c.place)(src.cast_mut(), Mode::Inner);
                    if !s.is_null() {
                        copy_some_table(s, dst, c);
                    }
                }
                How::Req(c) => copy_fields(c.shape, src, dst),
            }
        }
    }
}

/// A [`Slot`] of `$s`'s field `$f` (JSON name `$name`), its offset and type taken from the
/// same field (so the reader's and writer's type is the field's).
#[doc(hidden)]
#[macro_export]
macro_rules! slot {
    ($how:ident, $name:literal, $s:ty, $f:ident) => {
        // SAFETY: the offset and the type (inferred from the borrow) are of the same field
        unsafe {
            $crate::Slot::$how::<$s, _>($name, ::core::mem::offset_of!($s, $f), |s: &$s| &s.$f)
        }
    };
}

/// A generated struct's table: what `serde`'s visitor expects (its error text), a resource's
/// `apiVersion` and `kind`, and the fields in `Serialize`'s order.
#[doc(hidden)]
pub struct Shape {
    pub expecting: &'static str,
    pub resource: Option<(&'static str, &'static str)>,
    pub slots: &'static [Slot],
}

/// A struct read and written through its [`Shape`] (implemented by `generated.rs`).
///
/// # Safety
/// Every [`Slot`] of `SHAPE` is of a field of `Self`: made by [`slot!`] with `Self` as the
/// struct (the decoder and encoder write and read `Self` at the slots' offsets).
#[doc(hidden)]
pub unsafe trait Table: Sized {
    /// The struct's fields; every [`Slot`] is of a field of `Self` (made by [`slot!`]).
    const SHAPE: &'static Shape;
}

/// An optional field: `*(base + at) = Option<T>` read from `v`.
///
/// # Safety
/// `p` points at an initialised `Option<T>` ([`Slot::opt`]'s contract).
unsafe fn read_opt<T: Json>(p: *mut u8, v: Value) -> Result<(), Error> {
    if let Some(c) = T::CODEC {
        // SAFETY: the caller's; `c` is `T`'s (a `Codec<T>`)
        return unsafe { read_opt_table(p, v, c.raw) };
    }
    // SAFETY: the caller's
    let slot = unsafe { &mut *p.cast::<Option<T>>() };
    match v {
        // the field holds `None` already (the struct is `Default`'s; each key is read once)
        Value::Null => Ok(()),
        v => T::read_some(slot, v),
    }
}

/// A required field: `*(base + at) = Option<T>` read from `v`, or `T`'s default.
///
/// # Safety
/// `p` points at an initialised `T` ([`Slot::req`]'s contract).
unsafe fn read_req<T: Json + Default>(p: *mut u8, v: Value) -> Result<(), Error> {
    // SAFETY: the caller's
    let slot = unsafe { &mut *p.cast::<T>() };
    match v {
        // the field holds `T`'s default already (as in `read_opt`)
        Value::Null => Ok(()),
        v => T::read(slot, v),
    }
}

/// A field read as `T` (only a struct without `Default` has one; it is never read through
/// its table).
///
/// # Safety
/// `p` points at an initialised `T` ([`Slot::present`]'s contract).
unsafe fn read_present<T: Json>(p: *mut u8, v: Value) -> Result<(), Error> {
    let x = T::from_json(v)?;
    // SAFETY: the caller's
    unsafe { *p.cast::<T>() = x };
    Ok(())
}

/// # Safety
/// As [`read_opt`].
unsafe fn write_opt<T: Json>(p: *const u8) -> Option<Value> {
    // SAFETY: the caller's
    unsafe { &*p.cast::<Option<T>>() }.as_ref().map(T::to_json)
}

/// # Safety
/// As [`read_req`].
unsafe fn write_req<T: Json>(p: *const u8) -> Option<Value> {
    // SAFETY: the caller's
    Some(unsafe { &*p.cast::<T>() }.to_json())
}

/// An optional field copied: `*dst = src.dup()`; `dst` holds `None`. A generated struct is
/// put in place as `Some` and copied by [`copy_some_table`] (shared by every struct).
///
/// # Safety
/// `src` points at an `Option<T>`, `dst` at an `Option<T>` that holds `None`.
unsafe fn copy_opt<T: Json>(src: *const u8, dst: *mut u8) {
    // SAFETY: the caller's
    if let Some(s) = unsafe { &*src.cast::<Option<T>>() } {
        match T::CODEC {
            // SAFETY: the caller's; `c` is `T`'s codec
            Some(c) => unsafe { copy_some_table((&raw const *s).cast(), dst, c.raw) },
            // SAFETY: the caller's (a `None` has nothing to drop)
            None => unsafe { dst.cast::<Option<T>>().write(Some(s.dup())) },
        }
    }
}

/// A field copied into its default: [`Json::dup_into`].
///
/// # Safety
/// `src` and `dst` point at `T`s.
unsafe fn copy_req<T: Json>(src: *const u8, dst: *mut u8) {
    // SAFETY: the caller's
    unsafe { T::dup_into(&*src.cast::<T>(), &mut *dst.cast::<T>()) }
}

/// The fields of the struct at `src` copied into the struct at `dst`, which holds the
/// struct's default. Written once for every struct.
///
/// # Safety
/// `src` and `dst` point at structs whose [`Shape`] is `shape`, not the same one.
#[inline(never)]
unsafe fn copy_fields(shape: &Shape, src: *const u8, dst: *mut u8) {
    for s in shape.slots {
        // SAFETY: `s` is a slot of both structs (the caller's)
        unsafe { s.copy(src.wrapping_add(s.at), dst.wrapping_add(s.at)) };
    }
}

/// The struct at `src` copied as `Some` into the `Option` at `dst` (which holds `None`):
/// its default put in place, then its fields copied. One copy for every struct.
///
/// # Safety
/// `src` points at an `S`, `dst` at an `Option<S>` holding `None`; `c` is `S`'s codec.
#[inline(never)]
unsafe fn copy_some_table(src: *const u8, dst: *mut u8, c: RawCodec) {
    // SAFETY: the caller's
    unsafe {
        let d = (c.place)(dst, Mode::Some);
        copy_fields(c.shape, src, d);
    }
}

/// `n` structs of `size` bytes at `src` copied to `dst` (uninitialised), each put in place
/// as its default, then its fields copied. One copy for every struct.
///
/// # Safety
/// `src` holds `n` structs of `c`'s type, `dst` is valid for writing `n` of them.
#[inline(never)]
unsafe fn copy_items(src: *const u8, dst: *mut u8, n: usize, size: usize, c: RawCodec) {
    for i in 0..n {
        let d = dst.wrapping_add(i * size);
        // SAFETY: the caller's
        unsafe {
            (c.place)(d, Mode::Plain);
            copy_fields(c.shape, src.wrapping_add(i * size), d);
        }
    }
}

/// The entries of `v` read into the struct at `base` (serde visits them in the map's order;
/// a key the struct does not know is ignored). Written once for every struct.
///
/// # Safety
/// `base` points at an initialised struct whose [`Shape`] is `shape`.
#[inline(never)]
unsafe fn decode(v: Value, shape: &Shape, base: *mut u8) -> Result<(), Error> {
    for (k, v) in object(v, shape.expecting)? {
        if let Some((api_version, kind)) = shape.resource {
            if k == "apiVersion" {
                constant(v, api_version)?;
                continue;
            }
            if k == "kind" {
                constant(v, kind)?;
                continue;
            }
        }
        if let Some(s) = shape.slots.iter().find(|s| s.name == k) {
            // SAFETY: `s` is a slot of the struct at `base` (the caller's)
            unsafe { s.read(base.wrapping_add(s.at), v)? };
        }
    }
    Ok(())
}

/// The JSON object of the struct at `base`. Written once for every struct.
///
/// # Safety
/// As [`decode`].
#[inline(never)]
unsafe fn encode(shape: &Shape, base: *const u8) -> Value {
    let mut m = Map::new();
    if let Some((api_version, kind)) = shape.resource {
        resource(&mut m, api_version, kind);
    }
    for s in shape.slots {
        // SAFETY: `s` is a slot of the struct at `base` (the caller's)
        if let Some(x) = unsafe { s.write(base.wrapping_add(s.at)) } {
            put(&mut m, s.name, x);
        }
    }
    Value::Object(m)
}

/// A struct with a [`Default`] read through its table (out of line: one copy per struct,
/// shared by its maps and intake's checks).
#[doc(hidden)]
#[inline(never)]
pub fn from_table<S: Table + Default>(v: Value) -> Result<S, Error> {
    let mut o = fresh::<S>();
    into_table(&mut o, v)?;
    Ok(o)
}

/// Whether `v` reads as `S` ([`Json::check`] of a struct with a [`Default`]).
#[doc(hidden)]
pub fn check_table<S: Table + Default>(v: Value) -> Result<(), Error> {
    into_table(&mut fresh::<S>(), v)
}

/// `S`'s default, made by [`place`] (the one copy of a generated struct's `Default`).
fn fresh<S: Default>() -> S {
    let mut o = MaybeUninit::<S>::uninit();
    // SAFETY: `place` with `some == false` writes an `S` at the pointer it is given
    unsafe {
        place::<S>(o.as_mut_ptr().cast(), Mode::Plain);
        o.assume_init()
    }
}

/// What the code shared by every generated struct needs of `S` (`table_json!` makes it): its
/// table and how to put its default in place. Made only by [`Codec::of`], so a `Json::CODEC`
/// is always its own type's.
#[doc(hidden)]
pub struct Codec<S> {
    raw: RawCodec,
    _s: PhantomData<fn() -> S>,
}

/// A [`Codec`] without its type, for the code shared by every struct.
#[derive(Clone, Copy)]
struct RawCodec {
    shape: &'static Shape,
    place: unsafe fn(*mut u8, Mode) -> *mut u8,
}

impl<S: Table + Default> Codec<S> {
    /// `S`'s codec.
    #[doc(hidden)]
    pub const fn of() -> Codec<S> {
        Codec {
            raw: RawCodec {
                shape: S::SHAPE,
                place: place::<S>,
            },
            _s: PhantomData,
        }
    }
}

/// What [`place`] does.
#[derive(Clone, Copy)]
enum Mode {
    /// `S`'s default written at `p` (an uninitialised `S`); returns `p`.
    Plain,
    /// `S`'s default written as `Some` of the `Option<S>` at `p` (which holds `None`, nothing
    /// to drop); returns where the `S` is.
    Some,
    /// Nothing written: where the `S` of the `Option<S>` at `p` is, null for `None` (the
    /// pointer is only read through).
    Inner,
}

/// `S`'s default put in place, or where an `Option<S>`'s `S` is ([`Mode`]). Out of line: one
/// copy of a generated struct's `Default` (and of its `Option`'s layout), shared by every
/// read, write and copy of the struct (an optional field, a vector's items, [`from_table`])
/// instead of one inlined into each (bundle size, issue #17).
///
/// # Safety
/// `p` is valid for writing an `S` (`Plain`), or an `Option<S>` that holds `None` (`Some`), or
/// points at an `Option<S>` (`Inner`).
#[inline(never)]
unsafe fn place<S: Default>(p: *mut u8, mode: Mode) -> *mut u8 {
    if let Mode::Inner = mode {
        // SAFETY: the caller's
        return match unsafe { &*p.cast::<Option<S>>() } {
            Some(s) => (&raw const *s).cast_mut().cast(),
            None => std::ptr::null_mut(),
        };
    }
    let s = S::default();
    if let Mode::Some = mode {
        let o = p.cast::<Option<S>>();
        // SAFETY: the caller's
        unsafe { o.write(Some(s)) };
        // SAFETY: written just above
        match unsafe { &mut *o } {
            Some(s) => (&raw mut *s).cast(),
            None => p,
        }
    } else {
        // SAFETY: the caller's
        unsafe { p.cast::<S>().write(s) };
        p
    }
}

/// An optional field of a generated struct (`c` its codec): `None` when null (the field holds
/// `None` already), else the struct's default put in place as `Some` and `v` read into it. One
/// copy for every struct (`read_opt::<S>` is a call of it).
///
/// # Safety
/// `p` points at an `Option<S>` that holds `None`, `c` is `S`'s codec.
#[inline(never)]
unsafe fn read_opt_table(p: *mut u8, v: Value, c: RawCodec) -> Result<(), Error> {
    match v {
        Value::Null => Ok(()),
        v => {
            // SAFETY: the caller's
            unsafe {
                let s = (c.place)(p, Mode::Some);
                decode(v, c.shape, s)
            }
        }
    }
}

/// The items of a JSON array read into a vector of a generated struct (`c` its codec): each
/// item's default put in place at `base + i * size`, then read, in order until the first
/// error. Returns how many items are in place (the failed one included: a struct whose read
/// failed is still a struct, dropped with the vector). One copy for every struct.
///
/// # Safety
/// `base` is valid for writing `items.len()` structs of `size` bytes; `c` is their codec.
#[inline(never)]
unsafe fn fill(
    base: *mut u8,
    size: usize,
    items: Vec<Value>,
    c: RawCodec,
) -> (usize, Result<(), Error>) {
    let mut n = 0;
    for item in items {
        let p = base.wrapping_add(n * size);
        // SAFETY: the caller's (`n < items.len()`)
        unsafe { (c.place)(p, Mode::Plain) };
        n += 1;
        // SAFETY: an `S` is at `p`
        if let Err(e) = unsafe { decode(item, c.shape, p) } {
            return (n, Err(e));
        }
    }
    (n, Ok(()))
}

/// `items` read into `slot` (capacity reserved) through [`fill`].
fn read_items<T>(slot: &mut Vec<T>, items: Vec<Value>, c: Codec<T>) -> Result<(), Error> {
    slot.reserve_exact(items.len());
    let len = slot.len();
    // SAFETY: room for `items.len()` more `T`s after `len`; `c` is `T`'s codec
    let (n, r) = unsafe {
        fill(
            slot.as_mut_ptr().add(len).cast(),
            size_of::<T>(),
            items,
            c.raw,
        )
    };
    // SAFETY: `fill` initialised `n` items after `len`
    unsafe { slot.set_len(len + n) };
    r
}

/// `v` read into `o` through its table (`o` holds `S`'s default: [`Json::read`]).
#[doc(hidden)]
pub fn into_table<S: Table>(o: &mut S, v: Value) -> Result<(), Error> {
    // SAFETY: `o` is an `S` and `S::SHAPE` its table
    unsafe { decode(v, S::SHAPE, (&raw mut *o).cast()) }
}

/// `Json` of a generated struct with a [`Default`]: through its [`Table`], read in place.
#[doc(hidden)]
#[macro_export]
macro_rules! table_json {
    () => {
        const CODEC: ::core::option::Option<$crate::Codec<Self>> =
            ::core::option::Option::Some($crate::Codec::of());
        fn from_json(v: ::serde_json::Value) -> ::core::result::Result<Self, ::serde_json::Error> {
            $crate::from_table(v)
        }
        fn to_json(&self) -> ::serde_json::Value {
            $crate::to_table(self)
        }
        fn read(
            slot: &mut Self,
            v: ::serde_json::Value,
        ) -> ::core::result::Result<(), ::serde_json::Error> {
            $crate::into_table(slot, v)
        }
        fn check(v: ::serde_json::Value) -> ::core::result::Result<(), ::serde_json::Error> {
            $crate::check_table::<Self>(v)
        }
        fn read_some(
            slot: &mut ::core::option::Option<Self>,
            v: ::serde_json::Value,
        ) -> ::core::result::Result<(), ::serde_json::Error> {
            // `slot` is `None` (`Json::read_some`): nothing to drop
            $crate::some_table(slot, v)
        }
        fn dup(&self) -> Self {
            $crate::dup_table(self)
        }
        fn dup_into(&self, slot: &mut Self) {
            $crate::dup_table_into(self, slot)
        }
    };
}

/// `v` (not null) read into `slot`, which holds `None` ([`Json::read_some`] of a generated
/// struct): the struct's default put in place, then read.
#[doc(hidden)]
pub fn some_table<S: Table + Default>(slot: &mut Option<S>, v: Value) -> Result<(), Error> {
    // SAFETY: `slot` is an `Option<S>` holding `None` (`Json::read_some`'s contract: its
    // callers pass a field that holds `None`)
    unsafe {
        let s = place::<S>((&raw mut *slot).cast(), Mode::Some);
        decode(v, S::SHAPE, s)
    }
}

/// A copy of a struct with a [`Default`], through its table (out of line: one copy per
/// struct).
#[doc(hidden)]
#[inline(never)]
pub fn dup_table<S: Table + Default>(s: &S) -> S {
    let mut o = fresh::<S>();
    dup_table_into(s, &mut o);
    o
}

/// `s` copied into `o`, which holds `S`'s default ([`Json::dup_into`]).
#[doc(hidden)]
pub fn dup_table_into<S: Table>(s: &S, o: &mut S) {
    // SAFETY: `s` and `o` are `S`s (two: `o` is borrowed mutably) and `S::SHAPE` their table
    unsafe { copy_fields(S::SHAPE, (&raw const *s).cast(), (&raw mut *o).cast()) }
}

/// A struct written through its table.
#[doc(hidden)]
pub fn to_table<S: Table>(s: &S) -> Value {
    // SAFETY: `s` is an `S` and `S::SHAPE` its table
    unsafe { encode(S::SHAPE, (&raw const *s).cast()) }
}

/// A resource's `apiVersion` and `kind`.
fn resource(m: &mut Map<String, Value>, api_version: &str, kind: &str) {
    m.insert("apiVersion".to_owned(), Value::from(api_version));
    m.insert("kind".to_owned(), Value::from(kind));
}

impl Json for String {
    leaf_dup!();
    fn from_json(v: Value) -> Result<Self, Error> {
        match v {
            Value::String(s) => Ok(s),
            other => Err(invalid_type(&other, "a string")),
        }
    }
    fn to_json(&self) -> Value {
        Value::String(self.clone())
    }
}

impl Json for bool {
    leaf_dup!();
    fn from_json(v: Value) -> Result<Self, Error> {
        match v {
            Value::Bool(b) => Ok(b),
            other => Err(invalid_type(&other, "a boolean")),
        }
    }
    fn to_json(&self) -> Value {
        Value::Bool(*self)
    }
}

/// serde's integer visitors: an unsigned or signed JSON integer in range, "invalid value"
/// outside it, "invalid type" for anything else (floats included).
fn integer(v: &Value, min: i64, max: i64, expected: &str) -> Result<i64, Error> {
    let Value::Number(n) = v else {
        return Err(invalid_type(v, expected));
    };
    match (n.as_u64(), n.as_i64()) {
        (Some(u), _) => match i64::try_from(u) {
            Ok(i) if i <= max => Ok(i),
            _ => Err(Error::invalid_value(Unexpected::Unsigned(u), &expected)),
        },
        (None, Some(i)) if i >= min => Ok(i),
        (None, Some(i)) => Err(Error::invalid_value(Unexpected::Signed(i), &expected)),
        _ => Err(invalid_type(v, expected)),
    }
}

impl Json for i32 {
    leaf_dup!();
    fn from_json(v: Value) -> Result<Self, Error> {
        let i = integer(&v, i32::MIN.into(), i32::MAX.into(), "i32")?;
        Ok(i32::try_from(i).unwrap_or_default())
    }
    fn to_json(&self) -> Value {
        Value::from(*self)
    }
}

impl Json for i64 {
    leaf_dup!();
    fn from_json(v: Value) -> Result<Self, Error> {
        integer(&v, i64::MIN, i64::MAX, "i64")
    }
    fn to_json(&self) -> Value {
        Value::from(*self)
    }
}

impl Json for f64 {
    leaf_dup!();
    fn from_json(v: Value) -> Result<Self, Error> {
        match &v {
            Value::Number(n) => Ok(n.as_f64().unwrap_or(0.0)),
            other => Err(invalid_type(other, "f64")),
        }
    }
    fn to_json(&self) -> Value {
        // serde_json: a non-finite float is `null`
        Value::from(*self)
    }
}

impl Json for Value {
    leaf_dup!();
    fn from_json(v: Value) -> Result<Self, Error> {
        Ok(v)
    }
    fn to_json(&self) -> Value {
        self.clone()
    }
}

impl<T: Json> Json for Option<T> {
    fn dup(&self) -> Self {
        let mut o = None;
        // SAFETY: `self` is an `Option<T>`, `o` one that holds `None`
        unsafe { copy_opt::<T>((&raw const *self).cast(), (&raw mut o).cast()) };
        o
    }
    fn from_json(v: Value) -> Result<Self, Error> {
        match v {
            Value::Null => Ok(None),
            other => T::from_json(other).map(Some),
        }
    }
    fn to_json(&self) -> Value {
        match self {
            Some(t) => t.to_json(),
            None => Value::Null,
        }
    }
}

/// The items of an array, each handed to `f` in order until the first error: the loop over
/// the array (and the drop of the items left after an error) written once for every element
/// type; per type only `f` remains (bundle size, issue #17).
#[inline(never)]
fn each_item(
    items: Vec<Value>,
    f: &mut dyn FnMut(Value) -> Result<(), Error>,
) -> Result<(), Error> {
    for item in items {
        f(item)?;
    }
    Ok(())
}

/// The entries of an object, each handed to `f` in the map's order until the first error (as
/// [`each_item`]).
#[inline(never)]
fn each_entry(
    m: Map<String, Value>,
    f: &mut dyn FnMut(String, Value) -> Result<(), Error>,
) -> Result<(), Error> {
    for (k, v) in m {
        f(k, v)?;
    }
    Ok(())
}

impl<T: Json> Json for Vec<T> {
    fn dup(&self) -> Self {
        T::dup_vec(self)
    }
    fn from_json(v: Value) -> Result<Self, Error> {
        let mut out = Vec::new();
        Self::read(&mut out, v)?;
        Ok(out)
    }
    fn to_json(&self) -> Value {
        Value::Array(self.iter().map(T::to_json).collect())
    }
    /// `slot` is empty (a default); on an error it holds the items read before it (the
    /// struct it is in is dropped with the error).
    fn read(slot: &mut Self, v: Value) -> Result<(), Error> {
        match v {
            Value::Array(items) => {
                if let Some(c) = T::CODEC {
                    return read_items(slot, items, c);
                }
                slot.reserve_exact(items.len());
                each_item(items, &mut |item| {
                    slot.push(T::from_json(item)?);
                    Ok(())
                })
            }
            other => Err(invalid_type(&other, "a sequence")),
        }
    }
    fn read_some(slot: &mut Option<Self>, v: Value) -> Result<(), Error> {
        // `slot` is `None` (`Json::read_some`): nothing to drop
        std::mem::forget(slot.replace(Vec::new()));
        match slot {
            Some(o) => Self::read(o, v),
            None => Ok(()),
        }
    }
}

impl<T: Json> Json for BTreeMap<String, T> {
    fn dup(&self) -> Self {
        T::dup_map(self)
    }
    fn from_json(v: Value) -> Result<Self, Error> {
        let mut out = BTreeMap::new();
        Self::read(&mut out, v)?;
        Ok(out)
    }
    fn to_json(&self) -> Value {
        let mut m = Map::new();
        for (k, v) in self {
            m.insert(k.clone(), v.to_json());
        }
        Value::Object(m)
    }
    /// As `Vec`'s: `slot` is empty; the entries are inserted one by one (`collect` into a map
    /// sorts its entries first, a copy of the standard sort for each value type; the keys are
    /// unique and sorted already).
    fn read(slot: &mut Self, v: Value) -> Result<(), Error> {
        match v {
            Value::Object(m) => each_entry(m, &mut |k, v| {
                slot.insert(k, T::from_json(v)?);
                Ok(())
            }),
            other => Err(invalid_type(&other, "a map")),
        }
    }
    fn read_some(slot: &mut Option<Self>, v: Value) -> Result<(), Error> {
        // `slot` is `None` (`Json::read_some`): nothing to drop
        std::mem::forget(slot.replace(BTreeMap::new()));
        match slot {
            Some(o) => Self::read(o, v),
            None => Ok(()),
        }
    }
}

/// `Quantity`: what its visitor accepts from a JSON tree (k8s-openapi
/// `apimachinery/pkg/api/resource/quantity.rs`: a string as it is, a number printed by Rust's
/// `to_string`: `u64`, `i64`, then `f64`), written as its string; without serde's newtype
/// visitor in the bundle.
impl Json for k8s_openapi::apimachinery::pkg::api::resource::Quantity {
    leaf_dup!();
    fn from_json(v: Value) -> Result<Self, Error> {
        match v {
            Value::String(s) => Ok(Self(s)),
            Value::Number(n) => Ok(Self(match (n.as_u64(), n.as_i64()) {
                (Some(u), _) => u.to_string(),
                (None, Some(i)) => i.to_string(),
                _ => n.as_f64().unwrap_or(0.0).to_string(),
            })),
            other => Err(invalid_type(&other, "Quantity")),
        }
    }
    fn to_json(&self) -> Value {
        Value::String(self.0.clone())
    }
}

/// `IntOrString`: its visitor (k8s-openapi `apimachinery/pkg/util/intstr/int_or_string.rs`):
/// an integer that fits an `i32`, or a string; a float or another type is "invalid type".
impl Json for k8s_openapi::apimachinery::pkg::util::intstr::IntOrString {
    leaf_dup!();
    fn from_json(v: Value) -> Result<Self, Error> {
        match v {
            Value::String(s) => Ok(Self::String(s)),
            Value::Number(ref n) => match (n.as_u64(), n.as_i64()) {
                (Some(u), _) => i32::try_from(u).map(Self::Int).map_err(|_| {
                    Error::invalid_value(Unexpected::Unsigned(u), &"a 32-bit integer")
                }),
                (None, Some(i)) => i32::try_from(i)
                    .map(Self::Int)
                    .map_err(|_| Error::invalid_value(Unexpected::Signed(i), &"a 32-bit integer")),
                _ => Err(invalid_type(&v, "IntOrString")),
            },
            other => Err(invalid_type(&other, "IntOrString")),
        }
    }
    fn to_json(&self) -> Value {
        match self {
            Self::Int(i) => Value::from(*i),
            Self::String(s) => Value::String(s.clone()),
        }
    }
}

/// `FieldsV1` and `RawExtension`: a JSON tree as it is (their newtype visitors read a
/// `Value`, which a `Value` gives back unchanged), written as it is.
macro_rules! json_tree {
    ($($t:ty),* $(,)?) => {$(
        impl Json for $t {
            leaf_dup!();
            fn from_json(v: Value) -> Result<Self, Error> {
                Ok(Self(v))
            }
            fn to_json(&self) -> Value {
                self.0.clone()
            }
        }
    )*};
}

json_tree!(
    k8s_openapi::apimachinery::pkg::apis::meta::v1::FieldsV1,
    k8s_openapi::apimachinery::pkg::runtime::RawExtension,
);

/// `ByteString`: k8s-openapi's visitor (`byte_string.rs`): null is empty, a string is decoded
/// by the same `base64` engine (its error's text is the message), anything else is "invalid
/// type"; written as that engine encodes it. Without serde's option/str visitor.
impl Json for k8s_openapi::ByteString {
    leaf_dup!();
    fn from_json(v: Value) -> Result<Self, Error> {
        use base64::Engine as _;
        match v {
            Value::Null => Ok(Self(Vec::new())),
            Value::String(s) => base64::engine::general_purpose::STANDARD
                .decode(s)
                .map(Self)
                .map_err(Error::custom),
            other => Err(invalid_type(&other, "a base64-encoded string")),
        }
    }
    fn to_json(&self) -> Value {
        use base64::Engine as _;
        Value::String(base64::engine::general_purpose::STANDARD.encode(&self.0))
    }
}

/// `Time` and `MicroTime`: read by [`time::parse`] (Go's `time.Parse` with the layout metav1
/// reads, and its error text, as the apiserver and kubectl print it; not jiff's parser, whose
/// messages are jiff's and whose code and texts are ≈ 25 KB of the wasm bundle), written by
/// [`time`] (k8s-openapi's `strtime` patterns, without jiff's formatter in the bundle).
/// A value that is not a string fails as serde's would (jiff's visitor: "a timestamp string").
macro_rules! timestamp {
    ($($t:ty => $micro:expr, $print:path),* $(,)?) => {$(
        impl Json for $t {
            leaf_dup!();
            fn from_json(v: Value) -> Result<Self, Error> {
                match v {
                    Value::String(s) => time::parse(&s, $micro).map(Self).map_err(Error::custom),
                    other => Err(invalid_type(&other, "a timestamp string")),
                }
            }
            fn to_json(&self) -> Value {
                Value::String($print(self.0))
            }
        }
    )*};
}

timestamp!(
    k8s_openapi::apimachinery::pkg::apis::meta::v1::Time => false, time::rfc3339,
    k8s_openapi::apimachinery::pkg::apis::meta::v1::MicroTime => true, time::rfc3339_micro,
);
