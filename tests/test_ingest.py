"""Tests for search.ingest: article files read into classified, numbered, located blocks.

The golden tables below are a careful reader's reading of each seed article, written from
the text (not from the code): one row per block, "lines  kind  ¶". Body paragraphs, block
quotes and list items carry the ¶ a reader would cite; everything else carries none.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from search import InputError, Kind, read_article
from search.catalog import OriginalPublication
from search.files import find_article_files, read_text

SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"
SEED_NAMES = sorted(path.stem for path in SEEDS_DIR.glob("*.txt"))

GOLDEN = {
    "000_ee2ff855b77098e1": """
1       title
3-4     byline          # dateline and author under the title
6       body        1   # opens with a quotation, but the author narrates it
8       body        2
10      body        3
12      body        4
14      body        5
16      body        6
18      body        7
20      body        8
22      body        9
24      body        10
26      body        11
28      body        12
30      body        13
32      body        14
34      body        15
36      body        16
38      body        17
40      body        18  # run-in quotation: "..., Trotsky wrote in 1936 ..."
42      body        19
44      body        20
46      body        21
48      body        22
50      body        23
52      body        24
54      body        25
56      body        26
58      blockquote  27  # Serge quoted, introduced by a colon in line 56
60      blockquote  28  # second paragraph of the same quotation
63      boilerplate     # "Read More" starts the site trailer
65-67   boilerplate
69      boilerplate
""",
    "001_baf5b2bc01864b5f": """
1       title
3-5     byline          # author and role
7       body        1
9       body        2
11      body        3
13      body        4
15      body        5
17      caption         # photo caption
19      heading         # section heading, followed by a sub-heading
21      heading
23      body        6
25      heading
27      body        7
29      heading
31      body        8
33      caption         # photo caption
35      heading
37      heading
39      body        9
41      body        10
43      body        11
45      body        12
47      body        13
49      heading
51      body        14
53      body        15
55      caption         # photo caption
57      heading
59      body        16
61      body        17
63      heading
65      body        18
67      body        19
69      caption         # photo caption: no finite verb, sits before a heading
71      heading
73      body        20
75      body        21
77      body        22
79      heading
81      body        23
83      body        24
85      heading
87      body        25
89      caption         # photo caption
91      boilerplate     # newsletter sign-up trailer
93      boilerplate
95      boilerplate
""",
    "002_ced5b9d275ebdcfc": """
1       title           # kicker (the catalog subtitle)
3       title           # headline
5       caption         # photo alt text
7       caption         # the same caption as shown on the page
9       byline          # author, role
11      body        1
13      body        2
15      body        3
17      body        4
19      body        5
21      body        6
23      body        7   # run-in quotation: "...," Trotsky wrote. "..."
25      heading
27      body        8
29      body        9
31      body        10
33      body        11
35      body        12
37      body        13
39      body        14
41      body        15
43      body        16
45      body        17
47      caption         # photo alt text and caption
49      caption
51      heading
53      body        18
55      body        19
57      body        20
59      body        21
61      body        22
63      body        23
65      body        24
67      body        25
69      body        26
71      body        27
73      caption         # photo alt text and caption
75      caption
77      heading
79      body        28
81      body        29
83      body        30
85      body        31
87      body        32
89      body        33
91      body        34
93      body        35
95      caption         # photo alt text and caption
97      caption
99      heading
101     body        36
103     body        37
105     body        38
107     body        39
109     blockquote  40  # stand-alone quotation
111     body        41
113     body        42
115     blockquote  43  # continues the quotation left open at the end of line 113
117     body        44
120     boilerplate     # "Further reading" trailer
122     boilerplate
124     boilerplate
125     boilerplate
126     boilerplate
128     boilerplate
130     boilerplate
131     boilerplate
132     boilerplate
""",
    "003_411d2712463a3513": """
1       title
3       heading         # chapter heading, not a list item
5       body        1
7       body        2
9       body        3
11      body        4
13      heading
15      body        5
17      body        6   # rhetorical question in the body, sentence case
19      body        7
21      body        8
23      body        9
25      body        10
27      body        11
29      body        12
31      body        13
33      body        14
35      blockquote  15  # quotation introduced by a colon
37      body        16
39      heading         # heading of a boxed extract
41      blockquote  17
43      blockquote  18
45      blockquote  19
47      blockquote  20
49      body        21
51      body        22
53      body        23
55      body        24
57      body        25
59      body        26
61      body        27
63      body        28
65      body        29
67      body        30
69      body        31
71      body        32
73      body        33
75      body        34
77      body        35
79      body        36
81      heading
83      body        37
85      body        38
87      body        39
89      body        40
91      body        41
93      body        42
95      body        43
97      body        44
99      blockquote  45
101     body        46
103     body        47
105     blockquote  48
107     body        49
109     body        50
111     body        51
113     body        52
115     body        53
117     body        54
119     body        55
121     blockquote  56
123     body        57
125     blockquote  58
127     body        59
129     body        60
131     blockquote  61
133     body        62
135     body        63
137     body        64
139     body        65
141     body        66
143     body        67
145     heading
147     body        68
149     blockquote  69
151     body        70
153     blockquote  71
155     body        72
157     list_item   73  # Lenin's four points
158     list_item   74
159     list_item   75
160     list_item   76
162     body        77
164     body        78
166     body        79
168     body        80
170     body        81
172     body        82
174     body        83
176     body        84
178     body        85
180     body        86
182     blockquote  87
184     body        88
186     body        89
188     body        90
190     body        91
192     blockquote  92
194     body        93
196     blockquote  94  # displayed quotation with its source reference
198     body        95
200     heading
202     body        96
204     body        97
206     body        98
208     body        99
210     body        100
212     blockquote  101
214     body        102
216     body        103
218     body        104
220     body        105
222     body        106
224     blockquote  107
226     body        108
228     body        109
230     body        110
232     body        111
234     heading
236     body        112
238     body        113
240     body        114
242     body        115
244     body        116
246     body        117
248     body        118
250     blockquote  119
252     body        120
254     heading
256     body        121
258     body        122
260     blockquote  123
262     body        124
264     body        125
266     body        126
268     body        127
270     body        128
272     blockquote  129
274     body        130
276     body        131
278     body        132
280     body        133
282     body        134
284     blockquote  135
286     blockquote  136 # second paragraph of the quotation in line 284
288     body        137
290     body        138
292     body        139
294     body        140
296     body        141
298     body        142
300     blockquote  143
302     body        144
304     body        145
306     body        146
308     body        147
310     blockquote  148
312     body        149
314     body        150
316     blockquote  151
318     body        152
320     body        153
322     body        154
324     heading
326     body        155
328     body        156
330     body        157
332     body        158
334     body        159
336     body        160
338     body        161
340     blockquote  162
342     body        163
344     body        164
346     body        165
348     body        166
350     body        167
352     body        168
354     body        169
356     body        170
358     body        171
360     body        172
362     body        173
364     body        174
366     body        175
368     body        176
370     body        177
372     body        178 # run-in quotation, then the author goes on
374     body        179
376     body        180
378     blockquote  181
380     blockquote  182 # Serge quotation continues
382     list_item   183
383     list_item   184
384     list_item   185
386     body        186
388     body        187
390     body        188
392     body        189
394     body        190
396     body        191
398     heading
400     body        192
402     body        193
404     body        194
406     body        195
408     body        196
410     body        197
412     body        198
414     body        199
416     body        200
418     body        201
420     blockquote  202
422     body        203
424     blockquote  204 # quotation introduced by a colon, with a gloss
426     body        205
428     body        206
430     body        207
432     body        208
434     body        209
436     blockquote  210 # displayed quotation with its source reference
438     heading         # study questions follow
440     list_item   211
442     list_item   212
444     list_item   213
446     list_item   214
448     list_item   215
450     boilerplate     # reading lists: the document's trailer
453     boilerplate
455     boilerplate
457     boilerplate
459     boilerplate
461     boilerplate
463     boilerplate
466     boilerplate
468     boilerplate
470     boilerplate
472     boilerplate
474     boilerplate
476     boilerplate
478     boilerplate
480     boilerplate
482     boilerplate
""",
    "004_abca370204a8c88e": """
1       boilerplate     # site header
3       boilerplate     # the site's rubric
5       title
7       byline
9       body        1
11      body        2
13      body        3
15      body        4
17-18   heading         # one heading wrapped over two lines
20      body        5
22-24   body        6   # one paragraph broken by a stray blank line
26      heading
28      body        7
30      body        8
32      body        9
34      body        10
36      heading
38      body        11
40      body        12
42      body        13
44      heading
46      body        14
48      body        15
50      body        16
52      body        17
54      body        18
56      body        19
58      body        20
60      blockquote  21  # letter quoted after "His letter ... reads:"
62      body        22
64      body        23
66      body        24
68      blockquote  25
70      blockquote  26  # closing of the letter
72      blockquote  27  # signature of the letter
74      body        28
76      body        29
78      heading
80      body        30
82      body        31
84      body        32
86      heading         # section heading (the article's headings are sentence case)
88-90   body        33  # one paragraph broken by a stray blank line
92      body        34
94      body        35
96      body        36
98      body        37
100-102 body        38  # one paragraph broken by a stray blank line
104     body        39
106     byline          # author bio
108     byline          # where the article first appeared
110     boilerplate
114     footnote        # endnotes
116     footnote
118     footnote        # source link of footnote 2
""",
}


def parse_golden(table: str) -> list[tuple[int, int, str, int | None]]:
    """Turn a golden table into (line_start, line_end, kind, paragraph) rows."""
    rows = []
    for line in table.strip().splitlines():
        fields = line.split("#")[0].split()
        first, _, last = fields[0].partition("-")
        paragraph = int(fields[2]) if len(fields) > 2 else None
        rows.append((int(first), int(last or first), fields[1], paragraph))
    return rows


def read_seed(number: str):  # type: ignore[no-untyped-def]
    """Read a seed article (with the catalog beside it)."""
    (path,) = SEEDS_DIR.glob(f"{number}_*.txt")
    return read_article(path)


def source_line(number: str, line: int) -> str:
    """Return one line of a seed file (1-based), stripped."""
    (path,) = SEEDS_DIR.glob(f"{number}_*.txt")
    return path.read_text(encoding="utf-8").split("\n")[line - 1].strip()


# --- Classification and numbering -----------------------------------------------------------


def test_every_seed_has_a_golden_table():
    assert sorted(GOLDEN) == SEED_NAMES


@pytest.mark.parametrize("name", SEED_NAMES)
def test_seed_blocks_are_classified_and_numbered_as_a_reader_reads_them(name):
    article = read_article(SEEDS_DIR / f"{name}.txt")
    found = [(b.line_start, b.line_end, b.kind.value, b.paragraph) for b in article.blocks]
    assert found == parse_golden(GOLDEN[name])


@pytest.mark.parametrize(
    ("number", "count"), [("000", 28), ("001", 25), ("002", 44), ("003", 215), ("004", 39)]
)
def test_paragraphs_are_numbered_one_to_n_in_reading_order(number, count):
    article = read_seed(number)
    numbers = [block.paragraph for block in article.paragraphs]
    assert numbers == list(range(1, count + 1))
    assert [block.order for block in article.paragraphs] == sorted(
        block.order for block in article.paragraphs
    )


@pytest.mark.parametrize(
    ("number", "line", "opening"),
    [
        ("000", 6, "“Either the Russian revolution will raise the whirlwind"),
        ("001", 7, "In 1917, the working class of the Russian Empire rose up"),
        ("002", 11, "Ninety years ago this January, Leon Trotsky was exiled"),
        ("003", 5, "In the mighty class movements that followed the October revolution"),
        ("004", 9, "More than 70 years have passed since Joseph Stalin’s death."),
    ],
)
def test_paragraph_one_is_the_first_paragraph_of_the_body(number, line, opening):
    first = read_seed(number).paragraphs[0]
    assert (first.paragraph, first.line_start, first.kind) == (1, line, Kind.BODY)
    assert first.text.startswith(opening)


def test_only_body_paragraphs_block_quotes_and_list_items_are_numbered():
    for name in SEED_NAMES:
        for block in read_article(SEEDS_DIR / f"{name}.txt").blocks:
            numbered = block.kind in (Kind.BODY, Kind.BLOCKQUOTE, Kind.LIST_ITEM)
            assert (block.paragraph is not None) == numbered, (name, block.line_start)


# --- Sections ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "line", "section"),
    [
        ("000", 6, ""),
        ("000", 60, ""),
        ("001", 15, ""),
        ("001", 23, "Bureaucracy"),
        ("001", 39, "Permanent Revolution"),
        ("001", 87, "Revolution in the 21st Century"),
        ("002", 23, ""),
        ("002", 27, "Revolution isolated"),
        ("002", 79, "Stalin’s purges"),
        ("002", 117, "Fourth International"),
        ("003", 5, "4. Setbacks in the International Struggle"),
        ("003", 15, "The Crisis of Working Class Leadership"),
        ("003", 41, "From the “Platform of the Communist International” Adopted at the Founding "
                    "Conference"),
        ("003", 236, "The Kronstadt Uprising"),
        ("003", 440, "Questions for Discussion"),
        ("004", 15, ""),
        ("004", 22, "A revolution of world-historic proportions"),
        ("004", 46, "Lenin’s last struggle"),
        ("004", 84, "The Left Opposition and the fight to preserve Lenin’s legacy"),
        ("004", 88, "Why reclaim the memory of the Left Opposition to Stalin today?"),
        ("004", 104, "Why reclaim the memory of the Left Opposition to Stalin today?"),
    ],
)
def test_paragraphs_record_the_heading_they_fall_under(number, line, section):
    block = next(b for b in read_seed(number).blocks if b.line_start == line)
    assert block.paragraph is not None
    assert block.section == section


def test_narrative_after_a_boxed_extract_is_not_under_the_box_heading():
    # 003 line 39 heads an extract from the Comintern's platform (lines 41-47); line 49 goes
    # back to the chapter's own narrative, under "The Crisis of Working Class Leadership".
    block = next(b for b in read_seed("003").blocks if b.line_start == 49)
    assert block.section == "The Crisis of Working Class Leadership"


def test_a_heading_is_its_own_section():
    for name in SEED_NAMES:
        for block in read_article(SEEDS_DIR / f"{name}.txt").blocks:
            if block.kind == Kind.HEADING:
                assert block.section == block.text


# --- Offsets, lines and text ------------------------------------------------------------------


@pytest.mark.parametrize("name", SEED_NAMES)
def test_block_text_is_its_source_span_with_whitespace_collapsed(name):
    article = read_article(SEEDS_DIR / f"{name}.txt")
    for block in article.blocks:
        assert block.text == " ".join(article.text[block.start:block.end].split())


@pytest.mark.parametrize("name", SEED_NAMES)
def test_line_numbers_agree_with_character_offsets(name):
    article = read_article(SEEDS_DIR / f"{name}.txt")
    for block in article.blocks:
        assert article.text.count("\n", 0, block.start) + 1 == block.line_start
        assert article.text.count("\n", 0, block.end) + 1 == block.line_end
        assert not article.text[block.start].isspace()
        assert not article.text[block.end - 1].isspace()


@pytest.mark.parametrize("name", SEED_NAMES)
def test_blocks_are_in_file_order_and_do_not_overlap(name):
    blocks = read_article(SEEDS_DIR / f"{name}.txt").blocks
    assert [block.order for block in blocks] == list(range(len(blocks)))
    for before, after in zip(blocks, blocks[1:], strict=False):
        assert before.end < after.start
        assert before.line_end < after.line_start


def test_article_text_is_the_file_text():
    path = next(SEEDS_DIR.glob("002_*.txt"))
    article = read_article(path)
    assert article.text == path.read_text(encoding="utf-8")
    assert len(article.content_hash) == 32


@pytest.mark.parametrize(("first", "last"), [(22, 24), (88, 90), (100, 102)])
def test_paragraph_broken_by_a_stray_blank_line_is_one_paragraph(first, last):
    blocks = read_seed("004").blocks
    touching = [b for b in blocks if b.line_start <= last and b.line_end >= first]
    assert len(touching) == 1
    (block,) = touching
    assert (block.line_start, block.line_end, block.kind) == (first, last, Kind.BODY)
    assert block.text == source_line("004", first) + " " + source_line("004", last)


def test_repaired_paragraphs_join_exactly_at_the_break():
    article = read_seed("004")
    joins = [
        "expropriated the capitalist class and established worker control",
        "against the revolutionary Chinese workers or compelling the Communists",
        "thrown into prisons from which many did not emerge.”",
    ]
    texts = [block.text for block in article.paragraphs]
    assert [sum(join in text for text in texts) for join in joins] == [1, 1, 1]


def test_heading_wrapped_over_two_lines_is_one_heading():
    blocks = read_seed("004").blocks
    heading = next(b for b in blocks if b.line_start == 17)
    assert (heading.kind, heading.line_end, heading.paragraph) == (Kind.HEADING, 18, None)
    assert heading.text == "A revolution of world-historic proportions"
    assert not any(b.line_start == 18 for b in blocks)


def test_runs_of_spaces_inside_a_paragraph_collapse_to_one():
    block = next(b for b in read_seed("003").blocks if b.line_start == 11)
    assert block.text == ("The Second International had ceased to exist as an instrument of "
                          "the workers’ struggle for power. A new International needed to be built.")


# --- Metadata from the catalog ----------------------------------------------------------------


def test_catalog_metadata_for_a_dated_article():
    meta = read_seed("000").meta
    assert (meta.doc_id, meta.title, meta.authors, meta.date) == (
        "000_ee2ff855b77098e1", "The struggle against Stalinism", ("Robert Narai",), "2022-08-31")
    assert (meta.publication, meta.publisher, meta.source) == (
        "Red Flag", "Socialist Alternative", "catalog")
    assert meta.path == str(next(SEEDS_DIR.glob("000_*.txt")))


def test_catalog_metadata_with_subtitle_role_and_month_date():
    meta = read_seed("002").meta
    assert meta.title == "Leon Trotsky's struggle against Stalinism"
    assert meta.subtitle == "90 years since Trotsky's expulsion from Soviet Union"
    assert meta.authors == ("Lenny Shail",)
    assert meta.author_roles == ("Socialist Party national committee",)
    assert meta.date == "2019-01"


def test_catalog_metadata_for_an_article_without_author_or_date():
    meta = read_seed("003").meta
    assert (meta.title, meta.authors, meta.date) == (
        "Isolation and Degeneration of the Workers' State", (), "")
    assert dict(meta.notes)["date"] == "not stated"


def test_catalog_metadata_for_a_reprint():
    meta = read_seed("004").meta
    assert meta.title == ("Lenin's Fight Against Stalinism and the Emergence of the Left "
                          "Opposition")
    assert (meta.authors, meta.publication, meta.section, meta.date) == (
        ("Robert Belano",), "Socialist Viewpoint", "Arsenal of Marxism", "")
    assert meta.original == OriginalPublication(
        publication="Left Voice",
        date="2025-03-24",
        url="https://www.leftvoice.org/lenins-fight-against-stalinism-and-the-emergence-of-the-"
            "left-opposition/",
    )


def test_catalog_without_a_date_leaves_the_date_empty():
    meta = read_seed("001").meta
    assert (meta.title, meta.authors, meta.date, meta.publication) == (
        "2023: 100 Years of Socialist Opposition to Stalinism", ("Nicholas Wurst",), "",
        "Independent Socialist Group")


# --- Metadata inferred for an uncatalogued article --------------------------------------------


def copy_seed(number: str, folder: Path) -> Path:
    (path,) = SEEDS_DIR.glob(f"{number}_*.txt")
    return Path(shutil.copy(path, folder / path.name))


def test_uncatalogued_seed_takes_title_from_the_first_line_and_author_from_by(tmp_path):
    meta = read_article(copy_seed("001", tmp_path)).meta
    assert (meta.title, meta.authors, meta.date, meta.source) == (
        "2023: 100 Years of Socialist Opposition to Stalinism", ("Nicholas Wurst",), "",
        "inferred")
    assert meta.notes == (("source", "inferred from the text: no catalog entry"),)


def test_uncatalogued_seed_reads_the_dateline(tmp_path):
    meta = read_article(copy_seed("000", tmp_path)).meta
    assert (meta.title, meta.date) == ("The struggle against Stalinism", "2022-08-31")


def test_uncatalogued_seed_reads_a_name_comma_role_byline(tmp_path):
    article = read_article(copy_seed("002", tmp_path))
    assert article.meta.authors == ("Lenny Shail",)
    kinds = {block.line_start: block.kind for block in article.blocks if block.line_start <= 9}
    # Line 1 is the kicker, line 3 the headline: neither is a byline.
    assert kinds == {1: Kind.TITLE, 3: Kind.TITLE, 5: Kind.CAPTION, 7: Kind.CAPTION,
                     9: Kind.BYLINE}


def test_uncatalogued_seed_skips_the_site_rubric_for_the_title(tmp_path):
    article = read_article(copy_seed("004", tmp_path))
    assert article.meta.title == ("Lenin’s Fight Against Stalinism and the Emergence of the Left "
                                  "Opposition")
    assert article.meta.authors == ("Robert Belano",)
    kinds = {block.line_start: block.kind for block in article.blocks if block.line_start <= 7}
    assert kinds == {1: Kind.BOILERPLATE, 3: Kind.BOILERPLATE, 5: Kind.TITLE, 7: Kind.BYLINE}


def test_uncatalogued_seed_is_numbered_like_the_catalogued_one(tmp_path):
    catalogued = read_seed("003")
    uncatalogued = read_article(copy_seed("003", tmp_path))
    assert [(b.line_start, b.kind, b.paragraph) for b in uncatalogued.blocks] == [
        (b.line_start, b.kind, b.paragraph) for b in catalogued.blocks]


ARTICLE_BODY = ("The Left Opposition was formed in October 1923, when forty-six party members "
                "signed a declaration against the growing power of the secretaries.\n")


@pytest.mark.parametrize(
    ("dateline", "date"),
    [
        ("31 August 2022", "2022-08-31"),
        ("August 31, 2022", "2022-08-31"),
        ("Wednesday, August 31, 2022", "2022-08-31"),
        ("2022-08-31", "2022-08-31"),
        ("Published 31 August 2022", "2022-08-31"),
        ("31 Aug 2022", "2022-08-31"),
        ("Aug 31, 2022", "2022-08-31"),
        ("2022-08-31T09:30:00+10:00", "2022-08-31"),
        ("August 2022", "2022-08"),
    ],
)
def test_uncatalogued_article_date_in_common_formats(write_article, dateline, date):
    path = write_article("dated.txt", f"The Opposition\n\nBy Ana Ruiz\n{dateline}\n\n"
                                      f"{ARTICLE_BODY}")
    article = read_article(path)
    assert [(b.line_start, b.line_end, b.kind) for b in article.blocks] == [
        (1, 1, Kind.TITLE), (3, 4, Kind.BYLINE), (6, 6, Kind.BODY)]
    meta = article.meta
    assert (meta.title, meta.authors, meta.date) == ("The Opposition", ("Ana Ruiz",), date)


def test_uncatalogued_article_with_name_and_role(write_article):
    path = write_article("role.txt", f"The Opposition\n\nAna Ruiz, staff writer\n\n{ARTICLE_BODY}")
    meta = read_article(path).meta
    assert (meta.title, meta.authors, meta.date) == ("The Opposition", ("Ana Ruiz",), "")


def test_uncatalogued_article_by_two_authors(write_article):
    path = write_article("two.txt", f"The Opposition\n\nBy Ana Ruiz and Bo Chen\n\n{ARTICLE_BODY}")
    assert read_article(path).meta.authors == ("Ana Ruiz", "Bo Chen")


def test_uncatalogued_article_without_byline_or_date(write_article):
    path = write_article("bare.txt", f"The Opposition\n\n{ARTICLE_BODY}")
    article = read_article(path)
    assert (article.meta.title, article.meta.authors, article.meta.date) == (
        "The Opposition", (), "")
    assert [(b.kind, b.paragraph) for b in article.blocks] == [
        (Kind.TITLE, None), (Kind.BODY, 1)]


# --- Files that cannot be read ----------------------------------------------------------------


def test_missing_file(tmp_path):
    path = tmp_path / "missing.txt"
    with pytest.raises(InputError) as raised:
        read_article(path)
    assert str(raised.value) == f"{path}: no such file."


def test_directory_instead_of_a_file(tmp_path):
    with pytest.raises(InputError) as raised:
        read_text(tmp_path)
    assert str(raised.value) == f"{tmp_path} is a directory; give a file."


def test_binary_file(tmp_path):
    path = tmp_path / "scan.txt"
    path.write_bytes(b"%PDF-1.7\n\x00\x01\x02binary\x00")
    with pytest.raises(InputError) as raised:
        read_article(path)
    assert str(raised.value) == f"{path} looks binary, not text; give a UTF-8 text file."


def test_damaged_pdf_is_refused_in_one_line(tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(b"%PDF-1.7\n\x00\x01\x02binary\x00")
    with pytest.raises(InputError) as raised:
        read_article(path)
    assert str(raised.value).startswith(f"{path} is damaged (")
    assert "\n" not in str(raised.value)


def test_windows_1252_file_names_the_byte_and_the_fix(tmp_path):
    path = tmp_path / "cp1252.txt"
    path.write_bytes("Trotsky’s exile\n".encode("cp1252"))
    with pytest.raises(InputError) as raised:
        read_article(path)
    assert str(raised.value) == (f"{path} is not UTF-8 (byte 0x92 at offset 7); "
                                 "convert it, e.g. iconv -f cp1252 -t utf-8.")


@pytest.mark.parametrize("content", [b"", b"   \n\t\n  \n", b"\xef\xbb\xbf", b"\xef\xbb\xbf \r\n"])
def test_empty_or_blank_file(tmp_path, content):
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    with pytest.raises(InputError) as raised:
        read_article(path)
    assert str(raised.value) == f"{path} is empty."


def test_error_messages_are_one_line(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"caf\xe9\n")
    for path in (tmp_path / "missing.txt", tmp_path, bad):
        with pytest.raises(InputError) as raised:
            read_text(path)
        assert "\n" not in str(raised.value)
        assert str(raised.value).startswith(str(path))


def test_missing_path_among_article_paths(tmp_path):
    with pytest.raises(InputError) as raised:
        find_article_files([tmp_path / "nowhere"])
    assert str(raised.value) == f"{tmp_path / 'nowhere'}: no such file or folder."


def test_byte_order_mark_is_dropped(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + f"The Opposition\n\nBy Ana Ruiz\n\n{ARTICLE_BODY}".encode())
    article = read_article(path)
    assert article.text.startswith("The Opposition")
    assert article.meta.title == "The Opposition"
    assert [(b.line_start, b.kind, b.paragraph) for b in article.blocks] == [
        (1, Kind.TITLE, None), (3, Kind.BYLINE, None), (5, Kind.BODY, 1)]


@pytest.mark.parametrize("newline", ["\r\n", "\r"], ids=["crlf", "cr"])
def test_windows_and_old_mac_line_ends_keep_line_numbers(tmp_path, newline):
    original = next(SEEDS_DIR.glob("004_*.txt"))
    text = original.read_text(encoding="utf-8")
    shutil.copy(SEEDS_DIR / "catalog.toml", tmp_path / "catalog.toml")
    converted = tmp_path / original.name
    converted.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", newline).encode("utf-8"))
    expected = read_article(original)
    article = read_article(converted)
    assert "\r" not in article.text
    assert [(b.line_start, b.line_end, b.kind, b.paragraph, b.text) for b in article.blocks] == [
        (b.line_start, b.line_end, b.kind, b.paragraph, b.text) for b in expected.blocks]
    for block in article.blocks:
        assert article.text.count("\n", 0, block.start) + 1 == block.line_start


# --- long blocks are indexed in parts -------------------------------------------------------


def long_paragraph(sentences: int) -> str:
    return " ".join(f"Sentence {n} tells of the quokkas of Rottnest island and the ferry."
                    for n in range(sentences))


def test_a_long_paragraph_is_split_into_parts_that_keep_its_number(tmp_path):
    from search.ingest import MAX_BLOCK_CHARS

    text = "A long one\n\nFirst paragraph.\n\n" + long_paragraph(400) + "\n\nLast paragraph.\n"
    path = tmp_path / "long.txt"
    path.write_text(text, encoding="utf-8")
    article = read_article(path)
    parts = [block for block in article.blocks if block.paragraph == 2]
    assert len(parts) == 8  # about 28,000 characters, cut at sentence ends after 3,500
    assert all(len(part.text) <= MAX_BLOCK_CHARS for part in parts)
    assert " ".join(part.text for part in parts) == long_paragraph(400)
    for part in parts:
        assert " ".join(text[part.start:part.end].split()) == part.text
        assert part.text.endswith(".")  # cut at a sentence end
        assert (part.line_start, part.line_end) == (5, 5)
    assert [block.paragraph for block in article.blocks if block.paragraph][-1] == 3
    assert [block.order for block in article.blocks] == list(range(len(article.blocks)))


def test_a_long_paragraph_over_many_lines_reports_each_part_s_lines(tmp_path):
    body = "\n".join(long_paragraph(400).split(". "))
    path = tmp_path / "lines.txt"
    path.write_text("Title\n\n" + body + "\n", encoding="utf-8")
    parts = [block for block in read_article(path).blocks if block.paragraph == 1]
    assert parts[0].line_start == 3 and parts[-1].line_end == 3 + body.count("\n")
    for before, after in zip(parts, parts[1:], strict=False):
        assert after.line_start in (before.line_end, before.line_end + 1)


def test_a_split_paragraph_is_searched_in_parts_and_shown_whole(tmp_path):
    import search

    folder = tmp_path / "articles"
    folder.mkdir()
    text = "A long one\n\n" + long_paragraph(2000) + " The walrus spoke.\n"
    (folder / "long.txt").write_text(text, encoding="utf-8")
    search.build([folder], tmp_path / "index")
    with search.open(tmp_path / "index") as library:
        hit = library.search("walrus").hits[0]
        assert hit.paragraph == 1 and len(hit.text) <= 5_000 and "walrus" in hit.snippet
        assert library.show("long", 1).text == " ".join(text.split("\n\n", 1)[1].split())
        assert library.documents()[0].paragraphs == 1
