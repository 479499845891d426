//! Sets the linker flags a Node addon needs (symbols resolved by the loading `node` process).

fn main() {
    napi_build::setup();
}
