/* What the files of the C renderer share (see _render.c): the result codes, the constants,
 * the context of a render and the helpers that read block data and write output. */
#ifndef DESKFORMS_RENDER_H
#define DESKFORMS_RENDER_H

#include "_inline.h"

/* What a block renderer returns: written, "let Python render this block", or an exception set. */
#define DONE 1
#define FALLBACK 0
#define RAISED (-1)

/* Returns from the calling renderer unless `expr` gave DONE. */
#define TRY(expr)                                                                           \
    do {                                                                                    \
        int tried_ = (expr);                                                                \
        if (tried_ != DONE) {                                                               \
            return tried_;                                                                  \
        }                                                                                   \
    } while (0)

/* The fixed text the Python renderers write (blocks.py, lists.py), by name. */
#define LITERALS(X)                                                                         \
    X(GT, ">")                                                                              \
    X(P_WEB, "<p class=\"ejs-paragraph\"")                                                  \
    X(P_QT, "<p")                                                                           \
    X(P_OPEN, "<p>")                                                                        \
    X(P_CLOSE, "</p>")                                                                      \
    X(ALIGN_QT_CENTER, " align=\"center\"")                                                 \
    X(ALIGN_QT_RIGHT, " align=\"right\"")                                                   \
    X(ALIGN_QT_JUSTIFY, " align=\"justify\"")                                               \
    X(ALIGN_WEB_CENTER, " style=\"text-align:center\"")                                     \
    X(ALIGN_WEB_RIGHT, " style=\"text-align:right\"")                                       \
    X(ALIGN_WEB_JUSTIFY, " style=\"text-align:justify\"")                                   \
    X(OL_WEB, "<ol class=\"ejs-list ejs-list-ordered\"")                                    \
    X(OL_QT, "<ol")                                                                         \
    X(OL_CLOSE, "</ol>")                                                                    \
    X(UL, "<ul>")                                                                           \
    X(UL_TOP_WEB, "<ul class=\"ejs-list ejs-list-unordered\">")                             \
    X(UL_CLOSE, "</ul>")                                                                    \
    X(CHECK_UL_QT, "<ul style=\"list-style-type:none\">")                                   \
    X(CHECK_UL_WEB, "<ul class=\"ejs-list ejs-checklist\" style=\"list-style-type:none\">") \
    X(CHECK_UL_BLOCK_WEB, "<ul class=\"ejs-list ejs-checklist ejs-checklist-block\" "       \
                          "style=\"list-style-type:none\">")                                 \
    X(TYPE_LOWER_ROMAN, " type=\"i\"")                                                      \
    X(TYPE_UPPER_ROMAN, " type=\"I\"")                                                      \
    X(TYPE_LOWER_ALPHA, " type=\"a\"")                                                      \
    X(TYPE_UPPER_ALPHA, " type=\"A\"")                                                      \
    X(LI, "<li>")                                                                           \
    X(LI_CLOSE, "</li>")                                                                    \
    X(LI_QT_UNCHECKED, "<li>\xe2\x98\x90 ")                                                 \
    X(LI_QT_CHECKED, "<li>\xe2\x98\x91 ")                                                   \
    X(LI_WEB_UNCHECKED, "<li class=\"ejs-checklist-item ejs-unchecked\">\xe2\x98\x90 ")     \
    X(LI_WEB_CHECKED, "<li class=\"ejs-checklist-item ejs-checked\">\xe2\x98\x91 ")         \
    X(TABLE_WEB, "<table class=\"ejs-table\">")                                             \
    X(TABLE_QT, "<table border=\"1\" cellpadding=\"4\" cellspacing=\"0\" "                  \
                "style=\"border-collapse:collapse\">")                                       \
    X(TABLE_CLOSE, "</table>")                                                              \
    X(THEAD, "<thead>")                                                                     \
    X(THEAD_CLOSE, "</thead>")                                                              \
    X(TBODY, "<tbody>")                                                                     \
    X(TBODY_CLOSE, "</tbody>")                                                              \
    X(TR_EMPTY, "<tr></tr>")                                                                \
    X(TH_ROW, "<tr><th>")                                                                   \
    X(TH_BETWEEN, "</th><th>")                                                              \
    X(TH_ROW_CLOSE, "</th></tr>")                                                           \
    X(TD_ROW, "<tr><td>")                                                                   \
    X(TD_BETWEEN, "</td><td>")                                                              \
    X(TD_ROW_CLOSE, "</td></tr>")                                                           \
    X(QUOTE_WEB, "<figure class=\"ejs-quote\"><blockquote")                                 \
    X(QUOTE_QT, "<blockquote><p")                                                           \
    X(QUOTE_QT_TEXT, "><i>")                                                                \
    X(QUOTE_QT_TEXT_CLOSE, "</i></p>")                                                      \
    X(BLOCKQUOTE_CLOSE, "</blockquote>")                                                    \
    X(CITE_WEB, "<figcaption class=\"ejs-quote-caption\">")                                 \
    X(CITE_WEB_CLOSE, "</figcaption>")                                                      \
    X(CITE_QT, "<p align=\"right\">\xe2\x80\x94 ")                                          \
    X(FIGURE_CLOSE, "</figure>")                                                            \
    X(CODE_WEB, "<pre class=\"ejs-code\"><code>")                                           \
    X(CODE_WEB_CLOSE, "</code></pre>")                                                      \
    X(CODE_QT, "<pre style=\"background-color:#f4f4f4\">")                                  \
    X(PRE_CLOSE, "</pre>")                                                                  \
    X(NEWLINE, "\n")                                                                        \
    X(AMP, "&amp;")                                                                         \
    X(LT, "&lt;")                                                                           \
    X(GT_ENTITY, "&gt;")                                                                    \
    X(QUOT, "&quot;")                                                                       \
    X(APOS, "&#x27;")                                                                       \
    X(DELIMITER_WEB, "<hr class=\"ejs-delimiter\">")                                        \
    X(DELIMITER_QT, "<p align=\"center\">*&nbsp;&nbsp;&nbsp;*&nbsp;&nbsp;&nbsp;*</p>")     \
    X(WARNING_WEB, "<div class=\"ejs-warning\" role=\"note\">")                             \
    X(WARNING_WEB_TITLE, "<p class=\"ejs-warning-title\"><strong>")                         \
    X(WARNING_WEB_TITLE_CLOSE, "</strong></p>")                                             \
    X(WARNING_WEB_MESSAGE, "<p class=\"ejs-warning-message\">")                             \
    X(DIV_CLOSE, "</div>")                                                                  \
    X(WARNING_QT, "<table width=\"100%\" border=\"0\" cellpadding=\"8\" cellspacing=\"0\" " \
                  "bgcolor=\"#fff4e5\"><tr><td><p><b>")                                      \
    X(WARNING_QT_DEFAULT_TITLE, "Warning")                                                  \
    X(WARNING_QT_TITLE_CLOSE, "</b></p>")                                                   \
    X(WARNING_QT_CLOSE, "</td></tr></table>")

#define LITERAL_NAME(name, text) L_##name,
enum { LITERALS(LITERAL_NAME) LITERAL_COUNT };
/* The literals as strs, made once by render_init and kept for the life of the process. */
extern PyObject *ejs_literal[LITERAL_COUNT];
/* <h1 class="ejs-header" ... by target (0 web, 1 qt) and level, and </h1> ... by level. */
extern PyObject *ejs_header_open[2][7];
extern PyObject *ejs_header_close[7];
/* lists.COUNTER_TYPES: counter type -> the literal of its `type` attribute (an int, -1: none). */
extern PyObject *ejs_counters;

/* The keys read from block data. */
#define KEYS(X)                                                                             \
    X(TYPE, "type")                                                                         \
    X(DATA, "data")                                                                         \
    X(TEXT, "text")                                                                         \
    X(ALIGNMENT, "alignment")                                                               \
    X(ALIGN, "align")                                                                       \
    X(LEVEL, "level")                                                                       \
    X(ITEMS, "items")                                                                       \
    X(STYLE, "style")                                                                       \
    X(META, "meta")                                                                         \
    X(COUNTER_TYPE, "counterType")                                                          \
    X(START, "start")                                                                       \
    X(CONTENT, "content")                                                                   \
    X(CHECKED, "checked")                                                                   \
    X(WITH_HEADINGS, "withHeadings")                                                        \
    X(WITH_HEADERS, "withHeaders")                                                          \
    X(CAPTION, "caption")                                                                   \
    X(CODE, "code")                                                                         \
    X(TITLE, "title")                                                                       \
    X(MESSAGE, "message")

#define KEY_NAME(name, text) K_##name,
enum { KEYS(KEY_NAME) KEY_COUNT };
extern PyObject *ejs_key[KEY_COUNT];

/* One render_blocks call: where the output goes and what sanitizing inline text needs. */
typedef struct {
    Writer *out;
    int qt;
    PyObject *target;   /* "web" or "qt" */
    PyObject *table;    /* the inline tag table, for the current block */
    PyObject *resolve;  /* callable(body) */
    PyObject *declined; /* callable(markup, target) */
    Py_ssize_t items;   /* list items written in the current block */
} Context;

/* JSON's own types, exactly: values whose type, truth and comparison run no Python code.
   Any other value (a subclass, a model, a Mapping) is left to the Python renderer. */
static inline int is_plain(PyObject *value) {
    return value == Py_None || PyBool_Check(value) || PyLong_CheckExact(value) ||
           PyFloat_CheckExact(value) || PyUnicode_CheckExact(value) || PyList_CheckExact(value) ||
           PyDict_CheckExact(value);
}

/* *value = a new reference to dict[key], or NULL when missing; -1 on error, else 0/1. */
static inline int get(PyObject *dict, int which, PyObject **value) {
    PyObject *found = PyDict_GetItemWithError(dict, ejs_key[which]);
    if (found == NULL) {
        *value = NULL;
        return PyErr_Occurred() ? -1 : 0;
    }
    *value = Py_NewRef(found);
    return 1;
}

/* dict.get(first, dict.get(second)) as a new reference or NULL; -1 on error. */
static inline int get_either(PyObject *dict, int first, int second, PyObject **value) {
    int found = get(dict, first, value);
    return found == 0 ? get(dict, second, value) : found;
}

/* base.text(data, key): *value = an exact str (new reference) or NULL for "". FALLBACK for a
   str subclass or another non-JSON value; `required` also for a missing one. */
static inline int text_of(PyObject *data, int which, int required, PyObject **value) {
    if (get(data, which, value) < 0) {
        return RAISED;
    }
    PyObject *found = *value;
    if (found != NULL && PyUnicode_CheckExact(found)) {
        return DONE;
    }
    *value = NULL;
    if (found == NULL) {
        return required ? FALLBACK : DONE;
    }
    int plain = is_plain(found);
    Py_DECREF(found);
    /* Another JSON value reads as ""; a required one makes the block invalid (Python's note). */
    return plain && !required ? DONE : FALLBACK;
}

/* base.alignment(data): 0 none (or left), 1 center, 2 right, 3 justify. */
static inline int alignment(PyObject *data, int *which) {
    PyObject *value;
    *which = 0;
    if (get_either(data, K_ALIGNMENT, K_ALIGN, &value) < 0) {
        return RAISED;
    }
    if (value == NULL) {
        return DONE;
    }
    int result = DONE;
    if (PyUnicode_CheckExact(value)) {
        if (PyUnicode_CompareWithASCIIString(value, "center") == 0) {
            *which = 1;
        } else if (PyUnicode_CompareWithASCIIString(value, "right") == 0) {
            *which = 2;
        } else if (PyUnicode_CompareWithASCIIString(value, "justify") == 0) {
            *which = 3;
        } else if (PyUnicode_CompareWithASCIIString(value, "left") != 0) {
            result = FALLBACK; /* other spellings ("Center") and junk: Python decides */
        }
    } else if (!is_plain(value)) {
        result = FALLBACK;
    }
    Py_DECREF(value);
    return result;
}

/* base.integer for the values Editor.js writes: *has is 0 for None, a bool or a missing value,
   else *number is the int clamped to [low, high]; FALLBACK for floats, strs and others. */
static inline int integer(PyObject *value, long low, long high, int *has, long *number) {
    *has = 0;
    if (value == NULL || value == Py_None || PyBool_Check(value) || PyList_CheckExact(value) ||
        PyDict_CheckExact(value)) {
        return DONE;
    }
    if (!PyLong_CheckExact(value)) {
        return FALLBACK;
    }
    int overflow;
    long found = PyLong_AsLongAndOverflow(value, &overflow);
    if (found == -1 && PyErr_Occurred()) {
        return RAISED;
    }
    if (overflow != 0) {
        found = overflow > 0 ? high : low;
    }
    *has = 1;
    *number = found < low ? low : found > high ? high : found;
    return DONE;
}

/* -- writing ------------------------------------------------------------------------------- */

static inline int put(Context *context, PyObject *text) {
    return writer_add_str(context->out, text) < 0 ? RAISED : DONE;
}

/* One of the module's constant strs (no reference needed: they live as long as the process). */
static inline int put_constant(Context *context, PyObject *text) {
    return writer_add(context->out, text, 0, PyUnicode_GET_LENGTH(text)) < 0 ? RAISED : DONE;
}

static inline int lit(Context *context, int which) {
    return put_constant(context, ejs_literal[which]);
}

/* sanitize.sanitize_inline(markup, target) for an exact str. */
static inline int inline_text(Context *context, PyObject *markup) {
    int simple = write_inline(markup, context->table, context->resolve, context->out);
    if (simple != 0) {
        return simple;
    }
    PyObject *args[2] = {markup, context->target};
    PyObject *clean = PyObject_Vectorcall(context->declined, args, 2, NULL);
    if (clean == NULL) {
        return RAISED;
    }
    int result = PyUnicode_CheckExact(clean) ? put(context, clean) : FALLBACK;
    Py_DECREF(clean);
    return result;
}

/* The attribute base.align_attribute writes for alignment `which`. */
static inline int put_alignment(Context *context, int which) {
    static const int web[4] = {0, L_ALIGN_WEB_CENTER, L_ALIGN_WEB_RIGHT, L_ALIGN_WEB_JUSTIFY};
    static const int qt[4] = {0, L_ALIGN_QT_CENTER, L_ALIGN_QT_RIGHT, L_ALIGN_QT_JUSTIFY};
    if (which == 0) {
        return DONE;
    }
    return lit(context, context->qt ? qt[which] : web[which]);
}

/* `opening`, sanitized `markup` and `closing`, or nothing when the sanitized text is empty
   (`empty` is then 1): the renderers leave out empty captions and messages. */
static inline int wrapped_inline(Context *context, PyObject *markup, int opening,
                                 int closing, int *empty) {
    *empty = 1;
    if (markup == NULL) {
        return DONE;
    }
    Mark mark = writer_mark(context->out);
    TRY(lit(context, opening));
    Mark text_start = writer_mark(context->out);
    TRY(inline_text(context, markup));
    if (context->out->size == text_start.size) {
        writer_truncate(context->out, mark);
        return DONE;
    }
    *empty = 0;
    return lit(context, closing);
}

/* -- the block renderers: DONE, FALLBACK or RAISED ----------------------------------------- */

/* _render_blocks.c (blocks.py) */
int render_paragraph(Context *context, PyObject *data);
int render_header(Context *context, PyObject *data);
int render_quote(Context *context, PyObject *data);
int render_code(Context *context, PyObject *data);
int render_delimiter(Context *context);
int render_warning(Context *context, PyObject *data);
int render_table(Context *context, PyObject *data);
/* _render_lists.c (lists.py): a list block, or with `checklist_block` the checklist block. */
int render_list(Context *context, PyObject *data, int checklist_block);

#endif
