/* Optional C speed-up of fastpath.fast_inline: the same checks and output, about 10x faster.
 *
 * fast_inline(markup, table, resolve) -> str | None
 *   markup  the inline HTML to check
 *   table   dict: the text between "<" and ">" -> (opens, closes, written), as in fastpath.py
 *   resolve callable(body) -> that tuple or None, for spellings not in `table` (links, classes)
 *
 * The Python function in fastpath.py is the reference; property tests compare the two on
 * random and hostile markup. Anything unexpected (a wrong type, a deeper nesting than
 * MAX_DEPTH) returns None, which sends the caller to the nh3 sanitizer: never less safe.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#define MAX_DEPTH 64

typedef struct {
    PyObject *items[MAX_DEPTH]; /* owned references to element names */
    int size;
} Stack;

static void stack_clear(Stack *stack) {
    while (stack->size > 0) {
        stack->size--;
        Py_DECREF(stack->items[stack->size]);
    }
}

/* 1 if `name` is the str "a", 0 otherwise. */
static int is_link(PyObject *name) {
    return PyUnicode_GET_LENGTH(name) == 1 && PyUnicode_READ_CHAR(name, 0) == 'a';
}

/* Applies one tag (opens, closes) to the stack: 1 when fine, 0 when the markup is not simple,
   -1 on a Python error. */
static int apply_tag(Stack *stack, PyObject *opens, PyObject *closes) {
    if (closes != Py_None) {
        if (!PyUnicode_Check(closes) || stack->size == 0) {
            return 0;
        }
        PyObject *top = stack->items[stack->size - 1];
        int equal = PyUnicode_Compare(top, closes);
        if (equal == -1 && PyErr_Occurred()) {
            return -1;
        }
        stack->size--;
        Py_DECREF(top);
        return equal == 0;
    }
    if (opens != Py_None) {
        if (!PyUnicode_Check(opens) || stack->size >= MAX_DEPTH) {
            return 0;
        }
        if (is_link(opens)) {
            for (int i = 0; i < stack->size; i++) {
                if (is_link(stack->items[i])) {
                    return 0; /* nested links are split up by parsers */
                }
            }
        }
        Py_INCREF(opens);
        stack->items[stack->size++] = opens;
    }
    return 1;
}

/* A piece of the output: markup[start:end] when `written` is NULL, else `written` (owned). */
typedef struct {
    Py_ssize_t start, end;
    PyObject *written;
} Piece;

typedef struct {
    Piece *items;
    Py_ssize_t size, capacity;
    Piece local[32];
} Pieces;

static int pieces_add(Pieces *pieces, Py_ssize_t start, Py_ssize_t end, PyObject *written) {
    if (pieces->size == pieces->capacity) {
        Py_ssize_t capacity = pieces->capacity * 2;
        Piece *grown;
        if (pieces->items == pieces->local) {
            grown = PyMem_New(Piece, capacity);
            if (grown != NULL) {
                memcpy(grown, pieces->local, sizeof(pieces->local));
            }
        } else {
            grown = PyMem_Resize(pieces->items, Piece, capacity);
        }
        if (grown == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        pieces->items = grown;
        pieces->capacity = capacity;
    }
    Py_XINCREF(written);
    pieces->items[pieces->size++] = (Piece){start, end, written};
    return 0;
}

static void pieces_clear(Pieces *pieces) {
    for (Py_ssize_t i = 0; i < pieces->size; i++) {
        Py_XDECREF(pieces->items[i].written);
    }
    if (pieces->items != pieces->local) {
        PyMem_Free(pieces->items);
    }
}

/* The characters the fast path leaves to the parser outside a tag: a stray ">", NUL (dropped
   by parsers) and carriage returns (rewritten). Inside a tag another "<" ends the fast path. */
#define STOPS_TEXT(c) ((c) == '<' || (c) == '>' || (c) == 0 || (c) == '\r')
#define STOPS_TAG(c) ((c) == '<' || (c) == '>' || (c) == 0 || (c) == '\r')

/* Splits `data` into pieces; returns 1 when simple, 0 when not, -1 on a Python error. */
#define SPLIT_BODY(CHAR)                                                                     \
    const CHAR *chars = (const CHAR *)data;                                                  \
    Py_ssize_t text_start = 0, i = 0;                                                        \
    while (1) {                                                                              \
        while (i < length && !STOPS_TEXT(chars[i])) {                                        \
            i++;                                                                             \
        }                                                                                    \
        if (i >= length) {                                                                   \
            break;                                                                           \
        }                                                                                    \
        if (chars[i] != '<') {                                                               \
            return 0;                                                                        \
        }                                                                                    \
        Py_ssize_t end = i + 1;                                                              \
        while (end < length && !STOPS_TAG(chars[end])) {                                     \
            end++;                                                                           \
        }                                                                                    \
        if (end >= length || chars[end] != '>') {                                            \
            return 0;                                                                        \
        }                                                                                    \
        int step = tag(markup, table, resolve, stack, pieces, text_start, i, end);           \
        if (step <= 0) {                                                                     \
            return step;                                                                     \
        }                                                                                    \
        i = text_start = end + 1;                                                            \
    }                                                                                        \
    if (text_start < length && pieces_add(pieces, text_start, length, NULL) < 0) {           \
        return -1;                                                                           \
    }                                                                                        \
    return 1;

/* A small direct-mapped memo of table entries by the spelling's characters: the same dozen
   spellings make up most tags, and finding one here costs no new str, hash or dict lookup.
   Each slot owns its body, its tuple and the table it came from; a slot only counts for that
   same table (the fast path swaps in a fresh one when its link memo is full), and holding a
   reference keeps that table's address from being reused by another dict. */
#define MEMO_SLOTS 256

typedef struct {
    PyObject *body;  /* str, 1-byte kind */
    PyObject *found; /* the table's tuple */
    PyObject *table;
} MemoSlot;

static MemoSlot memo[MEMO_SLOTS];

static size_t memo_index(const Py_UCS1 *chars, Py_ssize_t length) {
    size_t hash = 2166136261u; /* FNV-1a */
    for (Py_ssize_t i = 0; i < length; i++) {
        hash = (hash ^ chars[i]) * 16777619u;
    }
    return hash % MEMO_SLOTS;
}

/* A new reference to the tuple remembered for markup[start:end] in `table`, or NULL. */
static PyObject *remembered(PyObject *markup, Py_ssize_t start, Py_ssize_t end, PyObject *table) {
    if (PyUnicode_KIND(markup) != PyUnicode_1BYTE_KIND) {
        return NULL;
    }
    const Py_UCS1 *chars = PyUnicode_1BYTE_DATA(markup) + start;
    Py_ssize_t length = end - start;
    MemoSlot *slot = &memo[memo_index(chars, length)];
    if (slot->table != table || slot->body == NULL ||
        PyUnicode_GET_LENGTH(slot->body) != length ||
        memcmp(PyUnicode_1BYTE_DATA(slot->body), chars, (size_t)length) != 0) {
        return NULL;
    }
    return Py_NewRef(slot->found);
}

static void remember(PyObject *body, PyObject *found, PyObject *table) {
    if (PyUnicode_KIND(body) != PyUnicode_1BYTE_KIND) {
        return;
    }
    MemoSlot *slot = &memo[memo_index(PyUnicode_1BYTE_DATA(body), PyUnicode_GET_LENGTH(body))];
    MemoSlot old = *slot;
    slot->body = Py_NewRef(body);
    slot->found = Py_NewRef(found);
    slot->table = Py_NewRef(table);
    Py_XDECREF(old.body);
    Py_XDECREF(old.found);
    Py_XDECREF(old.table);
}

static int apply_found(Stack *stack, Pieces *pieces, PyObject *found);

/* One tag at markup[open] == "<" to markup[close] == ">", after the text from text_start. */
static int tag(PyObject *markup, PyObject *table, PyObject *resolve, Stack *stack,
               Pieces *pieces, Py_ssize_t text_start, Py_ssize_t open, Py_ssize_t close) {
    if (open > text_start && pieces_add(pieces, text_start, open, NULL) < 0) {
        return -1;
    }
    PyObject *found = remembered(markup, open + 1, close, table);
    if (found != NULL) {
        return apply_found(stack, pieces, found);
    }
    PyObject *body = PyUnicode_Substring(markup, open + 1, close);
    if (body == NULL) {
        return -1;
    }
    found = PyDict_GetItemWithError(table, body); /* borrowed */
    if (found != NULL) {
        Py_INCREF(found);
        remember(body, found, table);
    } else if (PyErr_Occurred()) {
        Py_DECREF(body);
        return -1;
    } else {
        found = PyObject_CallOneArg(resolve, body);
        if (found == NULL) {
            Py_DECREF(body);
            return -1;
        }
    }
    Py_DECREF(body);
    return apply_found(stack, pieces, found);
}

/* Applies a (opens, closes, written) tuple, whose reference it takes over. */
static int apply_found(Stack *stack, Pieces *pieces, PyObject *found) {
    if (found == Py_None || !PyTuple_Check(found) || PyTuple_GET_SIZE(found) != 3 ||
        !PyUnicode_Check(PyTuple_GET_ITEM(found, 2))) {
        Py_DECREF(found);
        return 0;
    }
    int applied = apply_tag(stack, PyTuple_GET_ITEM(found, 0), PyTuple_GET_ITEM(found, 1));
    if (applied > 0 && pieces_add(pieces, 0, 0, PyTuple_GET_ITEM(found, 2)) < 0) {
        applied = -1;
    }
    Py_DECREF(found);
    return applied;
}

static int split_ucs1(PyObject *markup, const void *data, Py_ssize_t length, PyObject *table,
                      PyObject *resolve, Stack *stack, Pieces *pieces) {
    SPLIT_BODY(Py_UCS1)
}

static int split_ucs2(PyObject *markup, const void *data, Py_ssize_t length, PyObject *table,
                      PyObject *resolve, Stack *stack, Pieces *pieces) {
    SPLIT_BODY(Py_UCS2)
}

static int split_ucs4(PyObject *markup, const void *data, Py_ssize_t length, PyObject *table,
                      PyObject *resolve, Stack *stack, Pieces *pieces) {
    SPLIT_BODY(Py_UCS4)
}

/* The pieces written out as one new str. */
static PyObject *join(PyObject *markup, Pieces *pieces) {
    Py_ssize_t total = 0;
    Py_UCS4 widest = PyUnicode_MAX_CHAR_VALUE(markup);
    for (Py_ssize_t i = 0; i < pieces->size; i++) {
        Piece *piece = &pieces->items[i];
        if (piece->written == NULL) {
            total += piece->end - piece->start;
        } else {
            total += PyUnicode_GET_LENGTH(piece->written);
            Py_UCS4 width = PyUnicode_MAX_CHAR_VALUE(piece->written);
            widest = width > widest ? width : widest;
        }
    }
    PyObject *result = PyUnicode_New(total, widest);
    if (result == NULL) {
        return NULL;
    }
    int kind = PyUnicode_KIND(result);
    char *target = PyUnicode_DATA(result);
    Py_ssize_t at = 0;
    for (Py_ssize_t i = 0; i < pieces->size; i++) {
        Piece *piece = &pieces->items[i];
        PyObject *source = piece->written == NULL ? markup : piece->written;
        Py_ssize_t start = piece->written == NULL ? piece->start : 0;
        Py_ssize_t count = piece->written == NULL ? piece->end - piece->start
                                                  : PyUnicode_GET_LENGTH(piece->written);
        if (PyUnicode_KIND(source) == kind) {
            /* Same width: a plain copy (the common case, and most of the cost of joining). */
            memcpy(target + at * kind, (const char *)PyUnicode_DATA(source) + start * kind,
                   (size_t)(count * kind));
        } else if (PyUnicode_CopyCharacters(result, at, source, start, count) < 0) {
            Py_DECREF(result);
            return NULL;
        }
        at += count;
    }
    return result;
}

static PyObject *fast_inline(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    (void)module;
    if (nargs != 3) {
        PyErr_SetString(PyExc_TypeError, "fast_inline(markup, table, resolve)");
        return NULL;
    }
    PyObject *markup = args[0], *table = args[1], *resolve = args[2];
    if (!PyUnicode_Check(markup) || !PyDict_Check(table)) {
        Py_RETURN_NONE;
    }
    Py_ssize_t length = PyUnicode_GET_LENGTH(markup);
    const void *data = PyUnicode_DATA(markup);
    Stack stack = {.size = 0};
    Pieces pieces = {.size = 0, .capacity = 32};
    pieces.items = pieces.local;
    int simple;
    switch (PyUnicode_KIND(markup)) {
    case PyUnicode_1BYTE_KIND:
        simple = split_ucs1(markup, data, length, table, resolve, &stack, &pieces);
        break;
    case PyUnicode_2BYTE_KIND:
        simple = split_ucs2(markup, data, length, table, resolve, &stack, &pieces);
        break;
    default:
        simple = split_ucs4(markup, data, length, table, resolve, &stack, &pieces);
        break;
    }
    PyObject *result;
    if (simple < 0) {
        result = NULL;
    } else if (simple == 0 || stack.size != 0) {
        result = Py_NewRef(Py_None);
    } else if (pieces.size == 1 && pieces.items[0].written == NULL) {
        result = Py_NewRef(markup); /* text without tags comes out as it is */
    } else {
        result = join(markup, &pieces);
    }
    stack_clear(&stack);
    pieces_clear(&pieces);
    return result;
}

static PyObject *forget(PyObject *module, PyObject *unused) {
    (void)module;
    (void)unused;
    for (int i = 0; i < MEMO_SLOTS; i++) {
        MemoSlot old = memo[i];
        memo[i] = (MemoSlot){NULL, NULL, NULL};
        Py_XDECREF(old.body);
        Py_XDECREF(old.found);
        Py_XDECREF(old.table);
    }
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"forget", forget, METH_NOARGS, "forget(): drop the memo of spellings (and old tables)."},
    {"fast_inline", (PyCFunction)(void (*)(void))fast_inline, METH_FASTCALL,
     "fast_inline(markup, table, resolve): fastpath.fast_inline's result, or None."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_inline",
    .m_doc = "C speed-up of the Editor.js inline fast path.",
    .m_size = -1,
    .m_methods = methods,
};

PyMODINIT_FUNC PyInit__inline(void) { return PyModule_Create(&module); }
