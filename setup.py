"""Build hook for the optional C speed-up; everything else is declared in pyproject.toml."""

from setuptools import Extension, setup

EDITORJS = "desktop_app/core/editorjs"

# optional=True: where no C compiler is at hand the build goes on without it, and
# desktop_app.core.editorjs uses its pure-Python reference instead. One module: the inline
# fast path (_inline.c) and the whole-document renderer (_render*.c) that uses it.
setup(
    ext_modules=[
        Extension(
            "desktop_app.core.editorjs._inline",
            [
                f"{EDITORJS}/_inline.c",
                f"{EDITORJS}/_render.c",
                f"{EDITORJS}/_render_blocks.c",
                f"{EDITORJS}/_render_lists.c",
            ],
            depends=[f"{EDITORJS}/_inline.h", f"{EDITORJS}/_render.h"],
            optional=True,
        )
    ]
)
