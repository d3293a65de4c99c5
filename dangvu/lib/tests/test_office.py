"""Conversions of hostile files reach no network (issue 24: a member's .doc made the server
fetch a URL the member chose). A listener on loopback must see nothing while LibreOffice
converts a document whose image is linked to it."""

import socket
import threading

import pytest

from dangvu.lib import office

pytestmark = pytest.mark.skipif(office.office_binary() is None, reason="LibreOffice is not installed here")

LINKED_IMAGE = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
 xmlns:xlink="http://www.w3.org/1999/xlink"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:body><office:text>
<text:p>Bài thu hoạch có ảnh liên kết.</text:p>
<text:p><draw:frame svg:width="2cm" svg:height="2cm"><draw:image xlink:href="http://127.0.0.1:{port}/anh.png"
 xlink:type="simple" xlink:show="embed" xlink:actuate="onLoad"/></draw:frame></text:p>
</office:text></office:body></office:document>
"""


def listener() -> tuple[socket.socket, list]:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.2)
    seen: list = []

    def accept():
        while True:
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            seen.append(conn.recv(200))
            conn.close()

    threading.Thread(target=accept, daemon=True).start()
    return server, seen


@pytest.mark.parametrize("namespace", [True, False])
def test_a_linked_image_is_never_fetched(monkeypatch, namespace):
    """With a network namespace, and without one (a machine that cannot make one): the
    profile's settings alone refuse linked content. (Without both, LibreOffice sends OPTIONS
    and GET to the listener.)"""
    if not namespace:
        monkeypatch.setattr(office, "no_network_prefix", lambda: ())
    elif not office.no_network_prefix():
        pytest.skip("this machine cannot make a network namespace")
    server, seen = listener()
    try:
        port = server.getsockname()[1]
        pdf = office.convert(LINKED_IMAGE.format(port=port).encode(), "fodt", "pdf", timeout=90)
        assert pdf is not None and pdf.startswith(b"%PDF")  # converted all the same
        assert seen == []
    finally:
        server.close()


def test_a_conversion_past_its_time_is_killed_with_its_children():
    assert office.convert(b"x" * 10, "fodt", "pdf", timeout=0.01) is None
