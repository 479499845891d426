//! Lets `cargo test` run the unit tests, which embed the interpreter: points the test binary's
//! rpath at the directory of the libpython it was linked against. A no-op when maturin builds
//! the extension module, which does not link libpython.

fn main() {
    pyo3_build_config::add_libpython_rpath_link_args();
}
