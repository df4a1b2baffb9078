"""Build hook for the optional C speed-up; everything else is declared in pyproject.toml."""

from setuptools import Extension, setup

# optional=True: where no C compiler is at hand the build goes on without it, and
# desktop_app.core.editorjs.fastpath uses its pure-Python reference instead.
setup(
    ext_modules=[
        Extension(
            "desktop_app.core.editorjs._inline",
            ["desktop_app/core/editorjs/_inline.c"],
            optional=True,
        )
    ]
)
