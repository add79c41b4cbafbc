from logbert.reporting.html import Safe, Section, esc, fmt, key_values, page, table, tag


def test_text_and_attributes_are_escaped_and_safe_markup_is_kept():
    hostile = '"><script>alert(1)</script>'
    out = tag("a", hostile, title=hostile, href="#x")
    assert "<script>" not in out
    assert out.count("&quot;") == 2 and "&lt;script&gt;" in out
    nested = tag("p", tag("b", "<i>"))
    assert nested == "<p><b>&lt;i&gt;</b></p>"
    assert esc(Safe("<b>")) == "<b>"


def test_tables_escape_cells_and_format_numbers():
    out = table(["k", "v"], [("<x>", 1234567), ("y", 0.123456789), ("z", None)])
    assert "&lt;x&gt;" in out and "1,234,567" in out and "0.1235" in out
    assert key_values({"a": {"b": "<c>"}, "d": list(range(30))}).count("<tr>") == 3
    assert fmt(True) == "true" and fmt(None) == "n/a"


def test_page_forbids_scripts_and_network():
    html = page("t<", "s", Safe(""), [Section("a", "A", Safe("<p>x</p>"))])
    assert "default-src 'none'" in html and "img-src data:" in html
    assert "<script" not in html and "t&lt;" in html


def test_raw_lines_with_colour_codes_and_control_bytes_are_html_text():
    assert esc("\x1b[31merror\x1b[0m <b>") == "error &lt;b&gt;"
    assert esc("a\x00b\tc") == "a\ufffdb\tc"
