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
 *
 * The same module holds `render_blocks` (_render.c), the whole-document renderer that writes
 * its inline text through `write_inline` below, and the output writer both use (_inline.h).
 */
#include "_inline.h"

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

/* -- the writer ----------------------------------------------------------------------------- */

void writer_init(Writer *writer) {
    writer->data = writer->local;
    writer->kind = PyUnicode_1BYTE_KIND;
    writer->size = 0;
    writer->capacity = (Py_ssize_t)sizeof(writer->local); /* 1-byte characters */
    writer->maxchar = 127;
}

void writer_clear(Writer *writer) {
    if (writer->data != writer->local) {
        PyMem_Free(writer->data);
    }
    writer_init(writer);
}

/* The widest character of source[start:end], as the class PyUnicode_New needs (127, 255,
   0xFFFF or 0x10FFFF): a str must be stored in the narrowest kind that holds it, so a piece
   of a wide source that holds only narrow characters must not widen the result. */
static Py_UCS4 widest(PyObject *source, Py_ssize_t start, Py_ssize_t end) {
    if (PyUnicode_IS_ASCII(source)) {
        return 127;
    }
    Py_UCS4 found = 0, limit = PyUnicode_MAX_CHAR_VALUE(source);
    if (start == 0 && end == PyUnicode_GET_LENGTH(source)) {
        return limit; /* a whole str is already in its narrowest kind */
    }
    const void *data = PyUnicode_DATA(source);
    switch (PyUnicode_KIND(source)) {
    case PyUnicode_1BYTE_KIND:
        for (Py_ssize_t i = start; i < end; i++) {
            if (((const Py_UCS1 *)data)[i] >= 0x80) {
                return 255;
            }
        }
        return 127;
    case PyUnicode_2BYTE_KIND:
        for (Py_ssize_t i = start; i < end && found < 0x100; i++) {
            Py_UCS2 c = ((const Py_UCS2 *)data)[i];
            found = c > found ? c : found;
        }
        break;
    default:
        for (Py_ssize_t i = start; i < end && found < 0x10000; i++) {
            Py_UCS4 c = ((const Py_UCS4 *)data)[i];
            found = c > found ? c : found;
        }
        break;
    }
    return found < 0x80 ? 127 : found < 0x100 ? 255 : found < 0x10000 ? 0xFFFF : 0x10FFFF;
}

#define CONVERT(FROM, TO)                                                                   \
    do {                                                                                    \
        const FROM *from = (const FROM *)source;                                            \
        TO *to = (TO *)target + at;                                                         \
        for (Py_ssize_t k = 0; k < count; k++) {                                            \
            to[k] = (TO)from[k];                                                            \
        }                                                                                   \
    } while (0)

/* Copies `count` characters of kind `from_kind` to `target` (kind `to_kind`) at `at`; the
   characters fit (the caller checked their width). */
static void copy_characters(void *target, int to_kind, Py_ssize_t at, const void *source,
                            int from_kind, Py_ssize_t count) {
    if (from_kind == to_kind) {
        memcpy((char *)target + at * to_kind, source, (size_t)(count * to_kind));
    } else if (from_kind == PyUnicode_1BYTE_KIND && to_kind == PyUnicode_2BYTE_KIND) {
        CONVERT(Py_UCS1, Py_UCS2);
    } else if (from_kind == PyUnicode_1BYTE_KIND) {
        CONVERT(Py_UCS1, Py_UCS4);
    } else if (from_kind == PyUnicode_2BYTE_KIND && to_kind == PyUnicode_1BYTE_KIND) {
        CONVERT(Py_UCS2, Py_UCS1);
    } else if (from_kind == PyUnicode_2BYTE_KIND) {
        CONVERT(Py_UCS2, Py_UCS4);
    } else if (to_kind == PyUnicode_1BYTE_KIND) {
        CONVERT(Py_UCS4, Py_UCS1);
    } else {
        CONVERT(Py_UCS4, Py_UCS2);
    }
}

/* Makes room for `count` more characters of `kind` (at least the buffer's): a wider kind
   converts what is written so far, which happens at most twice. -1 with MemoryError. */
static int reserve(Writer *writer, Py_ssize_t count, int kind) {
    kind = kind > writer->kind ? kind : writer->kind;
    Py_ssize_t capacity = writer->capacity;
    if (count <= capacity - writer->size && kind == writer->kind) {
        return 0;
    }
    if (count > PY_SSIZE_T_MAX / 8 - writer->size) {
        PyErr_NoMemory();
        return -1;
    }
    Py_ssize_t needed = writer->size + count;
    while (capacity < needed) {
        capacity = capacity < 64 ? 64 : capacity + capacity / 2;
    }
    if (capacity > PY_SSIZE_T_MAX / 8) {
        capacity = needed;
    }
    char *grown;
    if (kind == writer->kind && writer->data != writer->local) {
        grown = PyMem_Realloc(writer->data, (size_t)(capacity * kind));
        if (grown == NULL) {
            PyErr_NoMemory();
            return -1;
        }
    } else {
        grown = PyMem_Malloc((size_t)(capacity * kind));
        if (grown == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        copy_characters(grown, kind, 0, writer->data, writer->kind, writer->size);
        if (writer->data != writer->local) {
            PyMem_Free(writer->data);
        }
    }
    writer->data = grown;
    writer->kind = kind;
    writer->capacity = capacity;
    return 0;
}

int writer_add_any(Writer *writer, PyObject *source, Py_ssize_t start, Py_ssize_t end) {
    Py_ssize_t count = end - start;
    if (count <= 0) {
        return 0;
    }
    Py_UCS4 maxchar = widest(source, start, end);
    int kind = maxchar < 0x100 ? PyUnicode_1BYTE_KIND
               : maxchar < 0x10000 ? PyUnicode_2BYTE_KIND
                                   : PyUnicode_4BYTE_KIND;
    if (reserve(writer, count, kind) < 0) {
        return -1;
    }
    int from_kind = PyUnicode_KIND(source);
    copy_characters(writer->data, writer->kind, writer->size,
                    (const char *)PyUnicode_DATA(source) + start * from_kind, from_kind, count);
    writer->size += count;
    writer->maxchar = maxchar > writer->maxchar ? maxchar : writer->maxchar;
    return 0;
}

int writer_add_str(Writer *writer, PyObject *source) {
    return writer_add(writer, source, 0, PyUnicode_GET_LENGTH(source));
}

Mark writer_mark(const Writer *writer) { return (Mark){writer->size, writer->maxchar}; }

void writer_truncate(Writer *writer, Mark mark) {
    writer->size = mark.size;
    writer->maxchar = mark.maxchar;
}

PyObject *writer_finish(Writer *writer) {
    PyObject *result = PyUnicode_New(writer->size, writer->maxchar);
    if (result != NULL) {
        copy_characters(PyUnicode_DATA(result), PyUnicode_KIND(result), 0, writer->data,
                        writer->kind, writer->size);
    }
    writer_clear(writer);
    return result;
}

/* -- the inline fast path ---------------------------------------------------------------- */

/* The characters the fast path leaves to the parser outside a tag: a stray ">", NUL (dropped
   by parsers) and carriage returns (rewritten). Inside a tag another "<" ends the fast path. */
static const unsigned char stops['>' + 1] = {[0] = 1, ['\r'] = 1, ['<'] = 1, ['>'] = 1};
#define STOPS_TEXT(c) ((c) <= '>' && stops[(c)])
#define STOPS_TAG(c) STOPS_TEXT(c)

/* Splits `data` at its tags, writing the output: 1 when simple, 0 when not, -1 on an error. */
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
        int step = tag(markup, table, resolve, stack, writer, text_start, i, end);           \
        if (step <= 0) {                                                                     \
            return step;                                                                     \
        }                                                                                    \
        i = text_start = end + 1;                                                            \
    }                                                                                        \
    if (text_start < length && writer_add(writer, markup, text_start, length) < 0) {         \
        return -1;                                                                           \
    }                                                                                        \
    return 1;

/* A small direct-mapped memo of table entries by the spelling's characters: the same dozen
   spellings make up most tags, and finding one here costs no new str, hash or dict lookup.
   Each slot owns its body, its tuple and the table it came from; a slot only counts for that
   same table (the fast path swaps in a fresh one when its link memo is full), and holding a
   reference keeps that table's address from being reused by another dict. */
#define MEMO_SLOTS 1024

typedef struct {
    PyObject *body;  /* str, 1-byte kind */
    PyObject *found; /* the table's tuple */
    PyObject *table;
} MemoSlot;

static MemoSlot memo[MEMO_SLOTS];

static size_t memo_index(const Py_UCS1 *chars, Py_ssize_t length) {
    /* Eight characters a step (a link's spelling is some fifty): FNV-1a on 64-bit words. */
    uint64_t hash = 14695981039346656037u ^ (uint64_t)length, word;
    Py_ssize_t i = 0;
    for (; i + 8 <= length; i += 8) {
        memcpy(&word, chars + i, 8);
        hash = (hash ^ word) * 1099511628211u;
    }
    for (; i < length; i++) {
        hash = (hash ^ chars[i]) * 1099511628211u;
    }
    return (size_t)((hash ^ (hash >> 32)) % MEMO_SLOTS);
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

static int apply_found(Stack *stack, Writer *writer, PyObject *found);

/* One tag at markup[open] == "<" to markup[close] == ">", after the text from text_start. */
static int tag(PyObject *markup, PyObject *table, PyObject *resolve, Stack *stack,
               Writer *writer, Py_ssize_t text_start, Py_ssize_t open, Py_ssize_t close) {
    if (open > text_start && writer_add(writer, markup, text_start, open) < 0) {
        return -1;
    }
    PyObject *found = remembered(markup, open + 1, close, table);
    if (found != NULL) {
        return apply_found(stack, writer, found);
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
    return apply_found(stack, writer, found);
}

/* Applies a (opens, closes, written) tuple, whose reference it takes over. */
static int apply_found(Stack *stack, Writer *writer, PyObject *found) {
    if (found == Py_None || !PyTuple_Check(found) || PyTuple_GET_SIZE(found) != 3 ||
        !PyUnicode_Check(PyTuple_GET_ITEM(found, 2))) {
        Py_DECREF(found);
        return 0;
    }
    int applied = apply_tag(stack, PyTuple_GET_ITEM(found, 0), PyTuple_GET_ITEM(found, 1));
    if (applied > 0 && writer_add_str(writer, PyTuple_GET_ITEM(found, 2)) < 0) {
        applied = -1;
    }
    Py_DECREF(found);
    return applied;
}

static int split_ucs1(PyObject *markup, const void *data, Py_ssize_t length, PyObject *table,
                      PyObject *resolve, Stack *stack, Writer *writer) {
    SPLIT_BODY(Py_UCS1)
}

static int split_ucs2(PyObject *markup, const void *data, Py_ssize_t length, PyObject *table,
                      PyObject *resolve, Stack *stack, Writer *writer) {
    SPLIT_BODY(Py_UCS2)
}

static int split_ucs4(PyObject *markup, const void *data, Py_ssize_t length, PyObject *table,
                      PyObject *resolve, Stack *stack, Writer *writer) {
    SPLIT_BODY(Py_UCS4)
}

int write_inline(PyObject *markup, PyObject *table, PyObject *resolve, Writer *writer) {
    Py_ssize_t length = PyUnicode_GET_LENGTH(markup);
    const void *data = PyUnicode_DATA(markup);
    Mark mark = writer_mark(writer);
    Stack stack;
    stack.size = 0; /* (not `= {0}`: zeroing the whole array showed in profiles) */
    int simple;
    switch (PyUnicode_KIND(markup)) {
    case PyUnicode_1BYTE_KIND:
        simple = split_ucs1(markup, data, length, table, resolve, &stack, writer);
        break;
    case PyUnicode_2BYTE_KIND:
        simple = split_ucs2(markup, data, length, table, resolve, &stack, writer);
        break;
    default:
        simple = split_ucs4(markup, data, length, table, resolve, &stack, writer);
        break;
    }
    if (simple > 0 && stack.size != 0) {
        simple = 0; /* an element left open */
    }
    stack_clear(&stack);
    if (simple <= 0) {
        writer_truncate(writer, mark);
    }
    return simple;
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
    /* Text without tags or other stops comes out as it is, without a copy. */
    int kind = PyUnicode_KIND(markup);
    const void *data = PyUnicode_DATA(markup);
    Py_ssize_t length = PyUnicode_GET_LENGTH(markup), i = 0;
    while (i < length && !STOPS_TEXT(PyUnicode_READ(kind, data, i))) {
        i++;
    }
    if (i == length) {
        return Py_NewRef(markup);
    }
    Writer writer;
    writer_init(&writer);
    int simple = write_inline(markup, table, resolve, &writer);
    if (simple <= 0) {
        writer_clear(&writer);
        if (simple < 0) {
            return NULL;
        }
        Py_RETURN_NONE;
    }
    return writer_finish(&writer);
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
    {"render_blocks", (PyCFunction)(void (*)(void))render_blocks, METH_FASTCALL,
     "render_blocks(blocks, target, tables, resolve, declined, fallback): the document's HTML."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_inline",
    .m_doc = "C speed-up of the Editor.js inline fast path and of whole-document rendering.",
    .m_size = -1,
    .m_methods = methods,
};

PyMODINIT_FUNC PyInit__inline(void) {
    if (render_init() < 0) {
        return NULL;
    }
    return PyModule_Create(&module);
}
