/* The C renderer's counterparts of lists.py: list v1 (strs), nested list v2 and the checklist
 * block. Writes exactly what lists._Renderer writes, or returns FALLBACK (see _render.c). */
#include "_render.h"

#define LIST_DEPTH 16     /* deeper lists go to Python, which flattens them below 32 levels */
#define MAX_ITEMS 100000 /* lists.MAX_ITEMS: more items in one list block go to Python */
#define START_LIMIT 1000000000L /* lists.list_block clamps `start` to +-10**9 */

enum { ORDERED, UNORDERED, CHECKLIST, CHECKLIST_BLOCK };

typedef struct {
    int kind;
    int counter; /* the ` type="i"` literal, or -1 */
} ListStyle;

static int list_opening(Context *context, const ListStyle *style, int top, int has_start,
                        long start) {
    int qt = context->qt;
    switch (style->kind) {
    case ORDERED:
        TRY(lit(context, qt ? L_OL_QT : L_OL_WEB));
        if (has_start && start != 1) {
            PyObject *attribute = PyUnicode_FromFormat(" start=\"%ld\"", start);
            if (attribute == NULL) {
                return RAISED;
            }
            int result = put(context, attribute);
            Py_DECREF(attribute);
            TRY(result);
        }
        if (style->counter >= 0) {
            TRY(lit(context, style->counter));
        }
        return lit(context, L_GT);
    case CHECKLIST:
    case CHECKLIST_BLOCK:
        if (qt) {
            return lit(context, L_CHECK_UL_QT);
        }
        return lit(context, style->kind == CHECKLIST_BLOCK && top ? L_CHECK_UL_BLOCK_WEB
                                                                  : L_CHECK_UL_WEB);
    default:
        return lit(context, qt || !top ? L_UL : L_UL_TOP_WEB);
    }
}

/* The `checked` state of a checklist item dict (`meta.checked` or `checked`): 0 or 1, or
   FALLBACK / RAISED as -2 / -3 (text values like "true" are left to Python). */
static int item_checked(PyObject *item) {
    PyObject *meta, *mark = NULL, *own;
    if (get(item, K_META, &meta) < 0) {
        return -3;
    }
    int odd = 0;
    if (meta != NULL && PyDict_CheckExact(meta)) {
        if (get(meta, K_CHECKED, &mark) < 0) {
            Py_DECREF(meta);
            return -3;
        }
    } else if (meta != NULL && !is_plain(meta)) {
        odd = 1;
    }
    Py_XDECREF(meta);
    if (get(item, K_CHECKED, &own) < 0) {
        Py_XDECREF(mark);
        return -3;
    }
    int checked = mark == Py_True || own == Py_True;
    odd = odd || (mark != NULL && !is_plain(mark)) || (own != NULL && !is_plain(own));
    if (!checked && ((mark != NULL && PyUnicode_CheckExact(mark)) ||
                     (own != NULL && PyUnicode_CheckExact(own)))) {
        odd = 1;
    }
    Py_XDECREF(mark);
    Py_XDECREF(own);
    return odd ? -2 : checked;
}

/* The text of a list item dict: `content` when it is a non-empty str, else `text`. */
static int item_content(PyObject *item, PyObject **content) {
    PyObject *value;
    *content = NULL;
    if (get(item, K_CONTENT, &value) < 0) {
        return RAISED;
    }
    if (value != NULL && PyUnicode_CheckExact(value) && PyUnicode_GET_LENGTH(value) > 0) {
        *content = value;
        return DONE;
    }
    int plain = value == NULL || is_plain(value);
    Py_XDECREF(value);
    if (!plain) {
        return FALLBACK;
    }
    return text_of(item, K_TEXT, 0, content);
}

static int list_items(Context *context, const ListStyle *style, PyObject *items, int depth,
                      int has_start, long start);

/* One item of `items`; a value that is not an item (a number, null) is skipped. */
static int list_item(Context *context, const ListStyle *style, PyObject *raw, int depth) {
    static const int starts[2][2] = {{L_LI_WEB_UNCHECKED, L_LI_WEB_CHECKED},
                                     {L_LI_QT_UNCHECKED, L_LI_QT_CHECKED}};
    int marks = style->kind == CHECKLIST || style->kind == CHECKLIST_BLOCK;
    PyObject *content = NULL, *children = NULL;
    int checked = 0, result = DONE;
    if (PyUnicode_CheckExact(raw)) {
        content = Py_NewRef(raw);
    } else if (PyDict_CheckExact(raw)) {
        result = item_content(raw, &content);
        if (result == DONE && marks) {
            checked = item_checked(raw);
            result = checked == -3 ? RAISED : checked == -2 ? FALLBACK : DONE;
        }
        if (result == DONE && get(raw, K_ITEMS, &children) < 0) {
            result = RAISED;
        }
        if (result == DONE && children != NULL &&
            !(PyList_CheckExact(children) && PyList_GET_SIZE(children) > 0)) {
            /* Only a non-empty list has children; anything not JSON goes to Python. */
            result = is_plain(children) ? DONE : FALLBACK;
            Py_CLEAR(children);
        }
    } else {
        return is_plain(raw) ? DONE : FALLBACK;
    }
    if (result == DONE) {
        context->items++;
        result = lit(context, marks ? starts[context->qt][checked] : L_LI);
    }
    if (result == DONE && content != NULL) {
        result = inline_text(context, content);
    }
    if (result == DONE && children != NULL) {
        result = depth >= LIST_DEPTH ? FALLBACK
                                     : list_items(context, style, children, depth + 1, 0, 0);
    }
    if (result == DONE) {
        result = lit(context, L_LI_CLOSE);
    }
    Py_XDECREF(content);
    Py_XDECREF(children);
    return result;
}

/* lists._Renderer.render: one level of a list. */
static int list_items(Context *context, const ListStyle *style, PyObject *items, int depth,
                      int has_start, long start) {
    TRY(list_opening(context, style, depth == 1, has_start, start));
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(items); i++) {
        if (context->items >= MAX_ITEMS) {
            return FALLBACK; /* Python stops at its budget */
        }
        PyObject *raw = Py_NewRef(PyList_GET_ITEM(items, i));
        int result = list_item(context, style, raw, depth);
        Py_DECREF(raw);
        TRY(result);
    }
    return lit(context, style->kind == ORDERED ? L_OL_CLOSE : L_UL_CLOSE);
}

/* The list's options: `style`, then `counterType` and `start` from `meta` or the data. */
static int list_options(PyObject *data, ListStyle *style, int *has_start, long *start) {
    PyObject *value, *meta;
    if (get(data, K_STYLE, &value) < 0) {
        return RAISED;
    }
    int result = DONE;
    style->kind = UNORDERED;
    style->counter = -1;
    if (value != NULL && PyUnicode_CheckExact(value)) {
        if (PyUnicode_CompareWithASCIIString(value, "ordered") == 0) {
            style->kind = ORDERED;
        } else if (PyUnicode_CompareWithASCIIString(value, "checklist") == 0) {
            style->kind = CHECKLIST;
        } else if (PyUnicode_CompareWithASCIIString(value, "unordered") != 0) {
            result = FALLBACK; /* other spellings: Python lower-cases them */
        }
    } else if (value != NULL && !is_plain(value)) {
        result = FALLBACK;
    }
    Py_XDECREF(value);
    if (result != DONE || get(data, K_META, &meta) < 0) {
        return result != DONE ? result : RAISED;
    }
    if (meta != NULL && !PyDict_CheckExact(meta)) {
        /* base.mapping: anything else reads as {} (a Mapping is left to Python). */
        int plain = is_plain(meta);
        Py_CLEAR(meta);
        if (!plain) {
            return FALLBACK;
        }
    }
    /* meta.get(name, data.get(name)) */
    int found = meta == NULL ? 0 : get(meta, K_COUNTER_TYPE, &value);
    if (found == 0) {
        found = get(data, K_COUNTER_TYPE, &value);
    }
    if (found < 0) {
        Py_XDECREF(meta);
        return RAISED;
    }
    if (value != NULL && PyUnicode_CheckExact(value)) {
        PyObject *attribute = PyDict_GetItemWithError(ejs_counters, value);
        if (attribute == NULL) {
            result = PyErr_Occurred() ? RAISED : FALLBACK; /* other spellings: Python */
        } else {
            style->counter = (int)PyLong_AsLong(attribute);
        }
    } else if (value != NULL && !is_plain(value)) {
        result = FALLBACK;
    }
    Py_XDECREF(value);
    if (result == DONE) {
        found = meta == NULL ? 0 : get(meta, K_START, &value);
        if (found == 0) {
            found = get(data, K_START, &value);
        }
        result = found < 0 ? RAISED
                           : integer(value, -START_LIMIT, START_LIMIT, has_start, start);
        Py_XDECREF(value);
    }
    Py_XDECREF(meta);
    return result;
}

int render_list(Context *context, PyObject *data, int checklist_block) {
    PyObject *items;
    if (get(data, K_ITEMS, &items) < 0) {
        return RAISED;
    }
    if (items == NULL || !PyList_CheckExact(items)) {
        Py_XDECREF(items);
        return FALLBACK;
    }
    ListStyle style = {CHECKLIST_BLOCK, -1};
    int has_start = 0, result = DONE;
    long start = 0;
    if (!checklist_block) {
        result = list_options(data, &style, &has_start, &start);
    }
    if (result == DONE) {
        context->items = 0;
        result = list_items(context, &style, items, 1, has_start, start);
    }
    Py_DECREF(items);
    return result;
}
