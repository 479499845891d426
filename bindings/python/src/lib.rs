//! The Python binding of `outbound-token`: the compiled module `outbound_token._outbound_token`,
//! re-exported by the `outbound_token` package.
//!
//! The binding is thin: each function converts its arguments, calls the core crate and maps
//! errors (see [`errors`]); no behaviour lives here. Scanning, stripping, verifying and
//! inspecting run with the GIL released. Messages are `bytes` (borrowed) or any other buffer of
//! bytes (copied first, since another thread could change it while the GIL is released).

mod errors;
mod header;
mod inspect;
mod keyring;
mod message;
mod str_enum;
mod token;
mod verify;

use pyo3::prelude::*;

pub use errors::{
    DuplicateTenantError, DuplicateTokenError, HexLengthError, InvalidHeaderNameError,
    InvalidHeaderValueError, InvalidHexError, InvalidTenantIdError, IoError, KeyringFileError,
    MasterKeyLengthError, OutboundTokenError, RandomError, TimeOutOfRangeError,
    TokenCharacterError, TokenChecksumError, TokenLengthError, TokenPrefixError,
    UnknownTenantError,
};

/// The compiled module.
#[pymodule]
fn _outbound_token(module: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = module.py();
    module.add("DEFAULT_HEADER", outbound_token::DEFAULT_HEADER)?;
    module.add("__version__", env!("CARGO_PKG_VERSION"))?;
    errors::add_exceptions(module)?;

    module.add_class::<header::PyField>()?;
    module.add_function(wrap_pyfunction!(header::find, module)?)?;
    module.add_function(wrap_pyfunction!(header::strip, module)?)?;
    module.add_function(wrap_pyfunction!(header::set_header, module)?)?;

    module.add_class::<token::PyToken>()?;
    module.add_class::<token::PyMasterKey>()?;
    module.add_class::<keyring::PyKeyring>()?;
    module.add_class::<keyring::PyTenant>()?;
    module.add_class::<keyring::PyKeyEntry>()?;

    module.add("Verdict", verify::verdict_enum(py)?)?;
    module.add_class::<verify::PyVerification>()?;
    module.add_function(wrap_pyfunction!(verify::verify, module)?)?;

    module.add("Severity", inspect::severity_enum(py)?)?;
    module.add_class::<inspect::PyFinding>()?;
    module.add_class::<inspect::PyReport>()?;
    module.add_function(wrap_pyfunction!(inspect::inspect, module)?)?;
    Ok(())
}
