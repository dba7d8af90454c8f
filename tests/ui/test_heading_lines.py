"""Column headings split where their longest line is shortest (the hub's table of laptops
fits beside its QR at 1280 px)."""

from ui.widgets.elided import heading_lines


def test_headings_are_split_where_the_longest_line_is_shortest():
    assert heading_lines("Milik sendiri, belum di cabang", 3) == "Milik sendiri,\nbelum di\ncabang"
    assert heading_lines("Milik sendiri, belum di cabang", 2) == "Milik sendiri,\nbelum di cabang"
    assert heading_lines("Diteruskan oleh hub", 3) == "Diteruskan\noleh hub"  # 3 lines: no narrower
    assert heading_lines("Laptop", 3) == "Laptop" and heading_lines("", 2) == ""
    for text in ("Dibawa untuk laptop lain", "Kontak terakhir", "Passed on by hub"):
        for lines in (1, 2, 3):
            split = heading_lines(text, lines)
            assert split.replace("\n", " ") == text and split.count("\n") < lines
