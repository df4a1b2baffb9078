/* Optional C speed-up of render.render_html: the whole document in one loop.
 *
 * render_blocks(blocks, target, tables, resolve, declined, fallback) -> str
 *   blocks    list: the document's blocks
 *   target    "web" or "qt"
 *   tables    fastpath._TAGS: the inline tag table by target (read again for every block,
 *             because the fast path swaps in a fresh table when its link memo is full)
 *   resolve   fastpath._RESOLVERS[target], for inline spellings outside the table
 *   declined  sanitize.declined_inline(markup, target): inline markup the fast path declines
 *   fallback  render._render(block, target): the Python renderer of one block
 *
 * The Python renderers are the reference. This file (the document loop and the constants),
 * _render_blocks.c and _render_lists.c write exactly what they write, but only for the common
 * types (paragraph, header, list, checklist, table, quote, code, delimiter, warning) in the
 * plain shape Editor.js saves: exact dicts, lists and strs, the usual option values, lists
 * less than 16 levels deep. Anything else (another type, an odd value, an error raised by a
 * callback) makes it drop what it wrote for that block and call `fallback` for it instead, so
 * the result is always the Python renderer's, byte for byte (property tests compare the two).
 * Errors that are not `Exception`s (KeyboardInterrupt) propagate.
 *
 * Every value read is held by a new reference while it is used (the callbacks run Python
 * code, which must not free what is in use); output text is copied as it is written.
 */
#include "_render.h"

/* -- constants ----------------------------------------------------------------------------- */

#define LITERAL_TEXT(name, text) [L_##name] = text,
static const char *const literal_text[LITERAL_COUNT] = {LITERALS(LITERAL_TEXT)};
PyObject *ejs_literal[LITERAL_COUNT];
PyObject *ejs_header_open[2][7];
PyObject *ejs_header_close[7];
PyObject *ejs_counters;

#define KEY_TEXT(name, text) [K_##name] = text,
static const char *const key_text[KEY_COUNT] = {KEYS(KEY_TEXT)};
PyObject *ejs_key[KEY_COUNT];

/* The block types written here (render.RENDERERS and ALIASES), as small ints. */
enum { B_PARAGRAPH, B_HEADER, B_LIST, B_CHECKLIST, B_TABLE, B_QUOTE, B_CODE, B_DELIMITER,
       B_WARNING };
static const struct {
    const char *name;
    int kind;
} block_kinds[] = {
    {"paragraph", B_PARAGRAPH}, {"header", B_HEADER},       {"list", B_LIST},
    {"nestedList", B_LIST},     {"nestedlist", B_LIST},     {"nested-list", B_LIST},
    {"checklist", B_CHECKLIST}, {"table", B_TABLE},         {"quote", B_QUOTE},
    {"code", B_CODE},           {"delimiter", B_DELIMITER}, {"warning", B_WARNING},
};
static PyObject *kinds; /* dict: type name -> int */

/* lists.COUNTER_TYPES as the attribute written (None for "1", which is not written). */
static const struct {
    const char *name;
    int literal; /* -1: none */
} counter_types[] = {
    {"numeric", -1},
    {"lower-roman", L_TYPE_LOWER_ROMAN},
    {"upper-roman", L_TYPE_UPPER_ROMAN},
    {"lower-alpha", L_TYPE_LOWER_ALPHA},
    {"upper-alpha", L_TYPE_UPPER_ALPHA},
    {"lower-latin", L_TYPE_LOWER_ALPHA},
    {"upper-latin", L_TYPE_UPPER_ALPHA},
};

int render_init(void) {
    for (int i = 0; i < LITERAL_COUNT; i++) {
        ejs_literal[i] = PyUnicode_FromString(literal_text[i]);
        if (ejs_literal[i] == NULL) {
            return -1;
        }
    }
    for (int i = 0; i < KEY_COUNT; i++) {
        ejs_key[i] = PyUnicode_InternFromString(key_text[i]);
        if (ejs_key[i] == NULL) {
            return -1;
        }
    }
    for (int level = 1; level <= 6; level++) {
        ejs_header_open[0][level] = PyUnicode_FromFormat("<h%d class=\"ejs-header\"", level);
        ejs_header_open[1][level] = PyUnicode_FromFormat("<h%d", level);
        ejs_header_close[level] = PyUnicode_FromFormat("</h%d>", level);
        if (!ejs_header_open[0][level] || !ejs_header_open[1][level] || !ejs_header_close[level]) {
            return -1;
        }
    }
    kinds = PyDict_New();
    ejs_counters = PyDict_New();
    if (kinds == NULL || ejs_counters == NULL) {
        return -1;
    }
    for (size_t i = 0; i < sizeof(block_kinds) / sizeof(block_kinds[0]); i++) {
        PyObject *value = PyLong_FromLong(block_kinds[i].kind);
        int failed = value == NULL || PyDict_SetItemString(kinds, block_kinds[i].name, value);
        Py_XDECREF(value);
        if (failed) {
            return -1;
        }
    }
    for (size_t i = 0; i < sizeof(counter_types) / sizeof(counter_types[0]); i++) {
        PyObject *value = PyLong_FromLong(counter_types[i].literal);
        int failed =
            value == NULL || PyDict_SetItemString(ejs_counters, counter_types[i].name, value);
        Py_XDECREF(value);
        if (failed) {
            return -1;
        }
    }
    return 0;
}

/* -- the document -------------------------------------------------------------------------- */

static int block_kind(PyObject *block, int *kind) {
    PyObject *type;
    if (get(block, K_TYPE, &type) < 0) {
        return RAISED;
    }
    if (type == NULL || !PyUnicode_CheckExact(type)) {
        Py_XDECREF(type);
        return FALLBACK;
    }
    PyObject *found = PyDict_GetItemWithError(kinds, type);
    Py_DECREF(type);
    if (found == NULL) {
        return PyErr_Occurred() ? RAISED : FALLBACK;
    }
    *kind = (int)PyLong_AsLong(found);
    return DONE;
}

static int render_data(Context *context, int kind, PyObject *data) {
    switch (kind) {
    case B_PARAGRAPH:
        return render_paragraph(context, data);
    case B_HEADER:
        return render_header(context, data);
    case B_LIST:
        return render_list(context, data, 0);
    case B_CHECKLIST:
        return render_list(context, data, 1);
    case B_TABLE:
        return render_table(context, data);
    case B_QUOTE:
        return render_quote(context, data);
    case B_CODE:
        return render_code(context, data);
    case B_DELIMITER:
        return render_delimiter(context);
    case B_WARNING:
        return render_warning(context, data);
    default:
        return FALLBACK;
    }
}

static int render_one(Context *context, PyObject *tables, PyObject *block) {
    int kind;
    if (!PyDict_CheckExact(block)) {
        return FALLBACK;
    }
    TRY(block_kind(block, &kind));
    PyObject *data, *table = PyDict_GetItemWithError(tables, context->target);
    if (table == NULL) {
        return PyErr_Occurred() ? RAISED : FALLBACK;
    }
    if (!PyDict_CheckExact(table)) {
        return FALLBACK;
    }
    if (get(block, K_DATA, &data) < 0) {
        return RAISED;
    }
    int result = FALLBACK;
    if (data != NULL && PyDict_CheckExact(data)) {
        context->table = Py_NewRef(table);
        result = render_data(context, kind, data);
        Py_CLEAR(context->table);
    }
    Py_XDECREF(data);
    return result;
}

static int render_fallback(Writer *out, PyObject *fallback, PyObject *block, PyObject *target) {
    PyObject *args[2] = {block, target};
    PyObject *html = PyObject_Vectorcall(fallback, args, 2, NULL);
    if (html == NULL) {
        return RAISED;
    }
    int result = DONE;
    if (!PyUnicode_CheckExact(html)) {
        PyErr_SetString(PyExc_TypeError, "the fallback renderer must return a str");
        result = RAISED;
    } else if (writer_add_str(out, html) < 0) {
        result = RAISED;
    }
    Py_DECREF(html);
    return result;
}

PyObject *render_blocks(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    (void)module;
    if (nargs != 6) {
        PyErr_SetString(PyExc_TypeError,
                        "render_blocks(blocks, target, tables, resolve, declined, fallback)");
        return NULL;
    }
    PyObject *blocks = args[0], *target = args[1], *tables = args[2];
    if (!PyList_Check(blocks) || !PyUnicode_Check(target) || !PyDict_Check(tables)) {
        PyErr_SetString(PyExc_TypeError, "render_blocks: blocks must be a list, target a str "
                                         "and tables a dict");
        return NULL;
    }
    Writer out;
    writer_init(&out);
    Context context = {
        .out = &out,
        .qt = PyUnicode_CompareWithASCIIString(target, "qt") == 0,
        .target = target,
        .table = NULL,
        .resolve = args[3],
        .declined = args[4],
        .items = 0,
    };
    /* The length is read again every time: a callback could change the list. */
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(blocks); i++) {
        PyObject *block = Py_NewRef(PyList_GET_ITEM(blocks, i));
        Mark mark = writer_mark(&out);
        int result = render_one(&context, tables, block);
        if (result == RAISED && PyErr_ExceptionMatches(PyExc_Exception)) {
            PyErr_Clear(); /* the Python renderer meets it too, and decides what to show */
            result = FALLBACK;
        }
        if (result == FALLBACK) {
            writer_truncate(&out, mark);
            result = render_fallback(&out, args[5], block, target);
        }
        Py_DECREF(block);
        if (result == RAISED) {
            writer_clear(&out);
            return NULL;
        }
    }
    return writer_finish(&out);
}
