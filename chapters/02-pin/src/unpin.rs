//! Asking the compiler, at compile time, whether a value's type is `Unpin`,
//! and getting the answer as a `bool` the demo can print and tests can check.
//!
//! Rust has no `T: Unpin` test for a generic `T` at run time, but for a
//! concrete expression method resolution can do it: a method on `Probe<T>`
//! that exists only when `T: Unpin` is found before the fallback on
//! `&Probe<T>`, which needs one more auto-reference.

use std::marker::PhantomData;

/// Carries the type of the value being asked about.
#[derive(Debug)]
pub struct Probe<T: ?Sized>(PhantomData<T>);

/// Found first, when `T: Unpin`.
pub trait ViaUnpin {
    /// `true`: the type is `Unpin`.
    fn is_unpin(&self) -> bool {
        true
    }
}
impl<T: ?Sized + Unpin> ViaUnpin for Probe<T> {}

/// The fallback, one auto-reference further away.
pub trait ViaAnything {
    /// `false`: the type is not `Unpin`.
    fn is_unpin(&self) -> bool {
        false
    }
}
impl<T: ?Sized> ViaAnything for &Probe<T> {}

/// A probe for the type of `value` (which is only borrowed).
pub fn probe<T: ?Sized>(_value: &T) -> Probe<T> {
    Probe(PhantomData)
}

/// `is_unpin!(expr)`: whether the type of `expr` is `Unpin` (`expr` is
/// borrowed, not moved). Works on a concrete type only: inside a generic
/// function it answers for the bounds the function states, not the caller's
/// type. On a closure created in the same function as the call it does not
/// compile (the compiler has not yet settled what the closure captures).
///
/// ```
/// use std::marker::PhantomPinned;
/// assert!(pin::is_unpin!(5_u32));
/// assert!(!pin::is_unpin!(PhantomPinned));
/// assert!(!pin::is_unpin!(async {}));
/// ```
#[macro_export]
macro_rules! is_unpin {
    ($value:expr) => {{
        #[allow(unused_imports)]
        use $crate::unpin::{ViaAnything as _, ViaUnpin as _};
        (&$crate::unpin::probe(&$value)).is_unpin()
    }};
}
