"""What each public page template gets beyond the page's own fields.

The page models import only `registry` (and `visibility`), never the context functions: the
functions in `pages` import the models and register themselves when the app starts, so there is
no import cycle between the models and what their pages show.
"""
