"""The teacher's studio (``launch/studio.py``): one local web page with three views, served by Starlette.

* ``app.py``: the routes (try the models side by side, label pairs blind, read a run's report), the limits and the
  access checks;
* ``report_page.py``: a pipeline output directory's ``report.md`` as safe HTML, and its samples side by side;
* ``static/``: the page itself, plain HTML, CSS and JavaScript (no build step, nothing fetched from the network).

The labelling journal, the annotators' agreement and the export live in ``easyds/annotation.py``.
"""
