"""Loaders for LLM frameworks, built on ``process()``, so that concurrency, resume and
object stores come with them.

* :mod:`aparavi_dtc.integrations.langchain`: ``AparaviLoader``, a langchain-core
  ``BaseLoader`` (``pip install 'aparavi-dtc[langchain]'``);
* :mod:`aparavi_dtc.integrations.llama_index`: ``AparaviReader``, a llama-index-core
  ``BaseReader`` (``pip install 'aparavi-dtc[llama-index]'``).

Each yields one document per processed object (a file, an attachment, a page the pipeline
made an object of), its text and metadata: ``source`` (the input as listed: a path or a
URL), ``file`` (the file's name), ``object_id``, ``object_name`` and ``object_path`` when
the service gave them, and the object's own metadata.
"""
