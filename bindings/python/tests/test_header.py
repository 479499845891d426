"""find, strip and set_header: arguments, buffers and wrong types."""

from __future__ import annotations

import array
import threading

import pytest

import outbound_token as ot

MESSAGE = b"X-Vipre-Tenant-Key: otk_test_7Qm2VwXr9LpZ4sKd\r\nTo: b@example.org\r\n\r\nHi\r\n"
STRIPPED = b"To: b@example.org\r\n\r\nHi\r\n"


def test_default_header() -> None:
    assert ot.DEFAULT_HEADER == "X-Vipre-Tenant-Key"


def test_find_fields() -> None:
    (field,) = ot.find(MESSAGE)
    assert field.name == b"X-Vipre-Tenant-Key"
    assert field.token == b"otk_test_7Qm2VwXr9LpZ4sKd"
    assert field.raw_value == b" otk_test_7Qm2VwXr9LpZ4sKd"
    assert (field.start, field.end) == (0, 47)
    assert MESSAGE[field.start : field.end] == b"X-Vipre-Tenant-Key: otk_test_7Qm2VwXr9LpZ4sKd\r\n"


def test_field_repr_hides_the_token() -> None:
    (field,) = ot.find(MESSAGE)
    text = repr(field)
    assert text == "Field(name=b'X-Vipre-Tenant-Key', start=0, end=47)"
    assert "otk_test" not in text and "otk_test" not in str(field)


def test_field_is_read_only() -> None:
    (field,) = ot.find(MESSAGE)
    with pytest.raises(AttributeError):
        field.token = b"x"  # type: ignore[misc]


def test_find_with_another_header() -> None:
    fields = ot.find(MESSAGE, header="to")
    assert [field.token for field in fields] == [b"b@example.org"]
    assert ot.find(MESSAGE, "X-Other") == []


def test_folded_token_is_unfolded() -> None:
    message = b"X-Vipre-Tenant-Key:\r\n\totk_abc \r\n\r\n"
    (field,) = ot.find(message)
    assert field.token == b"otk_abc"
    assert field.raw_value == b"\r\n\totk_abc "


def test_strip() -> None:
    assert ot.strip(MESSAGE) == STRIPPED
    assert ot.strip(STRIPPED) == STRIPPED
    assert ot.strip(MESSAGE, header="To") == b"X-Vipre-Tenant-Key: otk_test_7Qm2VwXr9LpZ4sKd\r\n\r\nHi\r\n"
    assert type(ot.strip(bytearray(MESSAGE))) is bytes


def test_set_header() -> None:
    assert ot.set_header(STRIPPED, "otk_new_token_value") == b"X-Vipre-Tenant-Key: otk_new_token_value\r\n" + STRIPPED
    # Every old field goes, exactly one new one is added.
    stamped = ot.set_header(MESSAGE, "v")
    assert stamped == b"X-Vipre-Tenant-Key: v\r\n" + STRIPPED
    assert ot.set_header(b"To: b\n\nbody", "v", header="X-Key") == b"X-Key: v\nTo: b\n\nbody"


@pytest.mark.parametrize(
    "make",
    [
        bytes,
        bytearray,
        memoryview,
        lambda data: memoryview(bytearray(data)),
        lambda data: array.array("B", data),
    ],
    ids=["bytes", "bytearray", "memoryview", "memoryview-of-bytearray", "array"],
)
def test_every_buffer_kind(make: object) -> None:
    data = make(MESSAGE)  # type: ignore[operator]
    assert ot.strip(data) == STRIPPED
    assert [field.token for field in ot.find(data)] == [b"otk_test_7Qm2VwXr9LpZ4sKd"]
    assert ot.set_header(data, "v") == b"X-Vipre-Tenant-Key: v\r\n" + STRIPPED


def test_memoryview_slices() -> None:
    padded = b"garbage" + MESSAGE + b"trailer"
    view = memoryview(padded)[7 : 7 + len(MESSAGE)]
    assert ot.strip(view) == STRIPPED
    (field,) = ot.find(view)
    assert (field.start, field.end) == (0, 47)

    # A strided slice is read as the bytes it selects, like bytes(view).
    doubled = bytes(b for byte in MESSAGE for b in (byte, 0))
    strided = memoryview(doubled)[::2]
    assert bytes(strided) == MESSAGE
    assert ot.strip(strided) == STRIPPED

    # An empty slice is an empty message.
    assert ot.strip(memoryview(MESSAGE)[0:0]) == b""
    assert ot.find(memoryview(MESSAGE)[0:0]) == []


def test_bytearray_is_copied_not_kept() -> None:
    data = bytearray(MESSAGE)
    fields = ot.find(data)
    data[:] = b"x" * len(data)
    assert fields[0].token == b"otk_test_7Qm2VwXr9LpZ4sKd"


@pytest.mark.parametrize(
    ("value", "type_name"),
    [("X-Vipre-Tenant-Key: x\r\n\r\n", "str"), (1, "int"), (None, "NoneType"), ([1, 2], "list"), (1.5, "float")],
)
def test_wrong_message_types(value: object, type_name: str) -> None:
    message = f"message must be bytes, bytearray or memoryview, not {type_name}"
    with pytest.raises(TypeError, match=f"^{message}$"):
        ot.find(value)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=f"^{message}$"):
        ot.strip(value)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=f"^{message}$"):
        ot.set_header(value, "v")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=f"^{message}$"):
        ot.verify(value, ot.Keyring())  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=f"^{message}$"):
        ot.inspect(value)  # type: ignore[arg-type]


def test_wrong_header_types() -> None:
    with pytest.raises(TypeError):
        ot.find(MESSAGE, header=b"X-Vipre-Tenant-Key")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        ot.set_header(MESSAGE, b"v")  # type: ignore[arg-type]


def test_threads_share_the_module() -> None:
    # Scanning runs with the GIL released; many threads at once must agree with one.
    message = b"".join(b"X-Filler-%d: %s\r\n" % (i, b"a" * 200) for i in range(2000)) + MESSAGE
    expected = ot.strip(message)
    results: list[bytes] = []

    def work() -> None:
        for _ in range(5):
            results.append(ot.strip(bytearray(message)))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [expected] * 20
