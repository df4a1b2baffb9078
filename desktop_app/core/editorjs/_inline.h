/* What the C files of the optional `_inline` build share: the output writer and the inline
 * fast path (`_inline.c`) used by the whole-document renderer (`_render*.c`). */
#ifndef DESKFORMS_INLINE_H
#define DESKFORMS_INLINE_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* The output, written as it is produced, while the input is still in the cache (copying
   scattered pieces at the end cost more than all the rest). Characters of `kind` (widened
   when a wider one comes, at most twice) in `data`, which has room for `capacity` of them.
   `maxchar` is the class of the widest character written (127, 255, 0xFFFF or 0x10FFFF):
   the str made at the end is in the narrowest kind that holds it, as every str must be.
   Starts in `local`, grows on the heap. */
typedef struct {
    char *data;
    int kind;
    Py_ssize_t size, capacity;
    Py_UCS4 maxchar;
    char local[512];
} Writer;

/* A point to go back to (`writer_truncate`). */
typedef struct {
    Py_ssize_t size;
    Py_UCS4 maxchar;
} Mark;

void writer_init(Writer *writer);
/* Appends source[start:end] of a str; -1 with MemoryError. */
int writer_add_any(Writer *writer, PyObject *source, Py_ssize_t start, Py_ssize_t end);

/* writer_add_any, with the common case (ASCII text that fits) inlined: most pieces are a few
   characters long, and the call and the checks cost more than the copy. */
static inline int writer_add(Writer *writer, PyObject *source, Py_ssize_t start,
                             Py_ssize_t end) {
    Py_ssize_t count = end - start;
    if (!PyUnicode_IS_ASCII(source) || count <= 0 || count > writer->capacity - writer->size) {
        return writer_add_any(writer, source, start, end);
    }
    const Py_UCS1 *from = PyUnicode_1BYTE_DATA(source) + start;
    if (writer->kind == PyUnicode_1BYTE_KIND) {
        memcpy(writer->data + writer->size, from, (size_t)count);
    } else if (writer->kind == PyUnicode_2BYTE_KIND) {
        Py_UCS2 *to = (Py_UCS2 *)(void *)writer->data + writer->size;
        for (Py_ssize_t i = 0; i < count; i++) {
            to[i] = from[i];
        }
    } else {
        Py_UCS4 *to = (Py_UCS4 *)(void *)writer->data + writer->size;
        for (Py_ssize_t i = 0; i < count; i++) {
            to[i] = from[i];
        }
    }
    writer->size += count;
    return 0;
}

/* Appends all of `source`. */
int writer_add_str(Writer *writer, PyObject *source);
Mark writer_mark(const Writer *writer);
/* Drops what was written after `mark`. */
void writer_truncate(Writer *writer, Mark mark);
/* What was written as a new str (NULL on error); the writer is cleared either way. */
PyObject *writer_finish(Writer *writer);
/* Frees the buffer; the writer is empty again. */
void writer_clear(Writer *writer);

/* Writes sanitized `markup` (a str) when it is in the fast path's simple shape: 1 when
   written, 0 when declined (nothing written), -1 on a Python error (nothing written). */
int write_inline(PyObject *markup, PyObject *table, PyObject *resolve, Writer *writer);

/* render_blocks(blocks, target, tables, resolve, declined, fallback) -> str (in _render.c). */
PyObject *render_blocks(PyObject *module, PyObject *const *args, Py_ssize_t nargs);
/* Creates the constants `render_blocks` writes; -1 on error. */
int render_init(void);

#endif
