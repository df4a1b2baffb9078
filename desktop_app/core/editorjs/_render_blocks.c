/* The C renderer's counterparts of blocks.py: paragraph, header, quote, code, delimiter,
 * warning and table. Each writes exactly what its Python renderer writes, or returns FALLBACK
 * for anything outside the plain shape (see _render.c). */
#include "_render.h"

static int paragraph_body(Context *context, PyObject *data, PyObject *text) {
    int which;
    TRY(alignment(data, &which));
    TRY(lit(context, context->qt ? L_P_QT : L_P_WEB));
    TRY(put_alignment(context, which));
    TRY(lit(context, L_GT));
    TRY(inline_text(context, text));
    return lit(context, L_P_CLOSE);
}

int render_paragraph(Context *context, PyObject *data) {
    PyObject *text;
    int result = text_of(data, K_TEXT, 1, &text);
    if (result != DONE) {
        return result;
    }
    result = paragraph_body(context, data, text);
    Py_DECREF(text);
    return result;
}

static int header_body(Context *context, PyObject *data, PyObject *text, PyObject *level_value) {
    int which, has;
    long level = 2; /* blocks.DEFAULT_HEADER_LEVEL */
    TRY(integer(level_value, 1, 6, &has, &level));
    TRY(alignment(data, &which));
    TRY(put_constant(context, ejs_header_open[context->qt][level]));
    TRY(put_alignment(context, which));
    TRY(lit(context, L_GT));
    TRY(inline_text(context, text));
    return put_constant(context, ejs_header_close[level]);
}

int render_header(Context *context, PyObject *data) {
    PyObject *text, *level_value = NULL;
    int result = text_of(data, K_TEXT, 1, &text);
    if (result != DONE) {
        return result;
    }
    result = get(data, K_LEVEL, &level_value) < 0 ? RAISED : DONE;
    if (result == DONE) {
        result = header_body(context, data, text, level_value);
    }
    Py_XDECREF(level_value);
    Py_DECREF(text);
    return result;
}

static int quote_body(Context *context, PyObject *data, PyObject *text, PyObject *caption) {
    int which, empty;
    TRY(alignment(data, &which));
    if (context->qt) {
        TRY(lit(context, L_QUOTE_QT));
        TRY(put_alignment(context, which));
        TRY(lit(context, L_QUOTE_QT_TEXT));
        TRY(inline_text(context, text));
        TRY(lit(context, L_QUOTE_QT_TEXT_CLOSE));
        TRY(wrapped_inline(context, caption, L_CITE_QT, L_P_CLOSE, &empty));
        return lit(context, L_BLOCKQUOTE_CLOSE);
    }
    TRY(lit(context, L_QUOTE_WEB));
    TRY(put_alignment(context, which));
    TRY(lit(context, L_GT));
    TRY(inline_text(context, text));
    TRY(lit(context, L_BLOCKQUOTE_CLOSE));
    TRY(wrapped_inline(context, caption, L_CITE_WEB, L_CITE_WEB_CLOSE, &empty));
    return lit(context, L_FIGURE_CLOSE);
}

int render_quote(Context *context, PyObject *data) {
    PyObject *text, *caption = NULL;
    int result = text_of(data, K_TEXT, 1, &text);
    if (result != DONE) {
        return result;
    }
    result = text_of(data, K_CAPTION, 0, &caption);
    if (result == DONE) {
        result = quote_body(context, data, text, caption);
    }
    Py_XDECREF(caption);
    Py_DECREF(text);
    return result;
}

/* html.escape(text, quote=True) of an exact str. */
#define ESCAPE_LOOP(CHAR)                                                                   \
    do {                                                                                    \
        const CHAR *chars = (const CHAR *)PyUnicode_DATA(text);                             \
        for (Py_ssize_t i = 0; i < length; i++) {                                          \
            int entity;                                                                     \
            switch (chars[i]) {                                                             \
            case '&':                                                                       \
                entity = L_AMP;                                                             \
                break;                                                                      \
            case '<':                                                                       \
                entity = L_LT;                                                              \
                break;                                                                      \
            case '>':                                                                       \
                entity = L_GT_ENTITY;                                                       \
                break;                                                                      \
            case '"':                                                                       \
                entity = L_QUOT;                                                            \
                break;                                                                      \
            case '\'':                                                                      \
                entity = L_APOS;                                                            \
                break;                                                                      \
            default:                                                                        \
                continue;                                                                   \
            }                                                                               \
            if (i > run && writer_add(context->out, text, run, i) < 0) {                    \
                return RAISED;                                                               \
            }                                                                               \
            TRY(lit(context, entity));                                                      \
            run = i + 1;                                                                    \
        }                                                                                   \
    } while (0)

static int escaped(Context *context, PyObject *text) {
    Py_ssize_t length = PyUnicode_GET_LENGTH(text), run = 0;
    switch (PyUnicode_KIND(text)) {
    case PyUnicode_1BYTE_KIND:
        ESCAPE_LOOP(Py_UCS1);
        break;
    case PyUnicode_2BYTE_KIND:
        ESCAPE_LOOP(Py_UCS2);
        break;
    default:
        ESCAPE_LOOP(Py_UCS4);
        break;
    }
    if (length > run && writer_add(context->out, text, run, length) < 0) {
        return RAISED;
    }
    return DONE;
}

static int code_body(Context *context, PyObject *source) {
    Py_ssize_t length = PyUnicode_GET_LENGTH(source);
    Py_ssize_t carriage = PyUnicode_FindChar(source, '\r', 0, length, 1);
    if (carriage == -2) {
        return RAISED;
    }
    if (carriage >= 0) {
        return FALLBACK; /* line ends are rewritten first: left to Python */
    }
    if (context->qt) {
        TRY(lit(context, L_CODE_QT));
        if (length > 0 && PyUnicode_READ_CHAR(source, 0) == '\n') {
            TRY(lit(context, L_NEWLINE)); /* parsers swallow one newline after <pre> */
        }
        TRY(escaped(context, source));
        return lit(context, L_PRE_CLOSE);
    }
    TRY(lit(context, L_CODE_WEB));
    TRY(escaped(context, source));
    return lit(context, L_CODE_WEB_CLOSE);
}

int render_code(Context *context, PyObject *data) {
    PyObject *source;
    int result = text_of(data, K_CODE, 1, &source);
    if (result != DONE) {
        return result;
    }
    result = code_body(context, source);
    Py_DECREF(source);
    return result;
}

int render_delimiter(Context *context) {
    return lit(context, context->qt ? L_DELIMITER_QT : L_DELIMITER_WEB);
}

static int warning_body(Context *context, PyObject *title, PyObject *message) {
    int title_empty, message_empty;
    if (context->qt) {
        TRY(lit(context, L_WARNING_QT));
        Mark text_start = writer_mark(context->out);
        if (title != NULL) {
            TRY(inline_text(context, title));
        }
        title_empty = context->out->size == text_start.size;
        if (title_empty) {
            TRY(lit(context, L_WARNING_QT_DEFAULT_TITLE));
        }
        TRY(lit(context, L_WARNING_QT_TITLE_CLOSE));
        TRY(wrapped_inline(context, message, L_P_OPEN, L_P_CLOSE, &message_empty));
        TRY(lit(context, L_WARNING_QT_CLOSE));
    } else {
        TRY(lit(context, L_WARNING_WEB));
        TRY(wrapped_inline(context, title, L_WARNING_WEB_TITLE, L_WARNING_WEB_TITLE_CLOSE,
                           &title_empty));
        TRY(wrapped_inline(context, message, L_WARNING_WEB_MESSAGE, L_P_CLOSE,
                           &message_empty));
        TRY(lit(context, L_DIV_CLOSE));
    }
    /* Nothing to show: Python decides between a note and an empty box. */
    return title_empty && message_empty ? FALLBACK : DONE;
}

int render_warning(Context *context, PyObject *data) {
    PyObject *title = NULL, *message = NULL;
    int result = text_of(data, K_TITLE, 0, &title);
    if (result == DONE) {
        result = text_of(data, K_MESSAGE, 0, &message);
    }
    if (result == DONE) {
        result = warning_body(context, title, message);
    }
    Py_XDECREF(title);
    Py_XDECREF(message);
    return result;
}

/* blocks._cell for a value that is not a str: numbers as text, other JSON as nothing. */
static int number_cell(Context *context, PyObject *cell) {
    if (cell == Py_None || PyBool_Check(cell) || PyList_CheckExact(cell) ||
        PyDict_CheckExact(cell)) {
        return DONE;
    }
    if (!PyLong_CheckExact(cell) && !PyFloat_CheckExact(cell)) {
        return FALLBACK;
    }
    /* str() of an int or a float holds nothing html.escape changes. */
    PyObject *shown = PyObject_Str(cell);
    if (shown == NULL) {
        return RAISED;
    }
    int result = put(context, shown);
    Py_DECREF(shown);
    return result;
}

static int table_row(Context *context, PyObject *row, Py_ssize_t width, int heading) {
    if (width == 0) {
        return lit(context, L_TR_EMPTY);
    }
    TRY(lit(context, heading ? L_TH_ROW : L_TD_ROW));
    for (Py_ssize_t i = 0; i < width; i++) {
        if (i > 0) {
            TRY(lit(context, heading ? L_TH_BETWEEN : L_TD_BETWEEN));
        }
        if (i >= PyList_GET_SIZE(row)) {
            continue; /* ragged rows are padded with empty cells */
        }
        PyObject *cell = Py_NewRef(PyList_GET_ITEM(row, i));
        int result = PyUnicode_CheckExact(cell) ? inline_text(context, cell)
                                                : number_cell(context, cell);
        Py_DECREF(cell);
        if (result != DONE) {
            return result;
        }
    }
    return lit(context, heading ? L_TH_ROW_CLOSE : L_TD_ROW_CLOSE);
}

static int table_body(Context *context, PyObject *data, PyObject *content) {
    Py_ssize_t width = 0, rows = 0;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(content); i++) {
        PyObject *row = PyList_GET_ITEM(content, i);
        if (PyList_CheckExact(row)) {
            rows++;
            width = PyList_GET_SIZE(row) > width ? PyList_GET_SIZE(row) : width;
        } else if (!is_plain(row)) {
            return FALLBACK;
        }
    }
    PyObject *value;
    if (get_either(data, K_WITH_HEADINGS, K_WITH_HEADERS, &value) < 0) {
        return RAISED;
    }
    /* base.flag: True, or "true" as text (left to Python). */
    int headings = value == Py_True;
    int odd = value != NULL && (PyUnicode_CheckExact(value) || !is_plain(value));
    Py_XDECREF(value);
    if (odd) {
        return FALLBACK;
    }
    headings = headings && rows > 0;
    TRY(lit(context, context->qt ? L_TABLE_QT : L_TABLE_WEB));
    Py_ssize_t body_rows = 0;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(content); i++) {
        PyObject *row = PyList_GET_ITEM(content, i);
        if (!PyList_CheckExact(row)) {
            if (!is_plain(row)) {
                return FALLBACK;
            }
            continue;
        }
        int result;
        Py_INCREF(row);
        if (headings) {
            headings = 0;
            result = lit(context, L_THEAD);
            if (result == DONE) {
                result = table_row(context, row, width, 1);
            }
            if (result == DONE) {
                result = lit(context, L_THEAD_CLOSE);
            }
        } else {
            result = body_rows++ == 0 ? lit(context, L_TBODY) : DONE;
            if (result == DONE) {
                result = table_row(context, row, width, 0);
            }
        }
        Py_DECREF(row);
        if (result != DONE) {
            return result;
        }
    }
    if (body_rows > 0) {
        TRY(lit(context, L_TBODY_CLOSE));
    }
    return lit(context, L_TABLE_CLOSE);
}

int render_table(Context *context, PyObject *data) {
    PyObject *content;
    if (get(data, K_CONTENT, &content) < 0) {
        return RAISED;
    }
    int result = FALLBACK;
    if (content != NULL && PyList_CheckExact(content)) {
        result = table_body(context, data, content);
    }
    Py_XDECREF(content);
    return result;
}
