"""What blind QA round 128 (Pure-FTPd, Liquidsoap, Luigi, n8n) found in reading each log's
lines, and what they read as now."""

from __future__ import annotations


def test_a_tls_cipher_suite_is_a_value_and_the_protocol_version_stays(masked_alike):
    """QA Pure-FTPd, OpenSMTPD: a template per cipher suite, a client's ChaCha20 a new event."""
    ftp = "SSL/TLS: Enabled {} with {}, 256 secret bits cipher"
    aes, chacha, old = masked_alike([
        ftp.format("TLSv1.3", "TLS_AES_256_GCM_SHA384"),
        ftp.format("TLSv1.3", "TLS_CHACHA20_POLY1305_SHA256"),
        ftp.format("TLSv1.2", "ECDHE-RSA-AES128-GCM-SHA256"),
    ])  # fmt: skip
    assert aes == chacha and "TLSv1.3 with <*>," in aes and old != aes
    smtp = "cf11f25942b06edc smtp tls ciphers=TLSv1.2:{}:256"
    assert len(set(masked_alike([smtp.format("ECDHE-RSA-AES256-GCM-SHA384"),
                                 smtp.format("DHE-RSA-AES256-SHA")]))) == 1  # fmt: skip
