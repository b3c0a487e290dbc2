"""The floor: the least a Django 5.2 project does for a page, served like the newsroom.

A project as `django-admin startproject` makes it (the same INSTALLED_APPS and MIDDLEWARE,
DEBUG off) whose one view answers from memory with as many bytes as the newsroom's article
page (FLOOR_BYTES). benchmarks/pages.py serves it with the same gunicorn options as the site
and reports every page as a share of its requests per second.
"""
