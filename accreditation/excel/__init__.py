"""Spreadsheets (openpyxl): readers of the import sheets and writers of the exports.

Pure: no ORM. ``reading`` turns one sheet into typed rows and located errors;
``institutions`` and ``experts`` define the import formats (and write templates);
``writing`` builds styled workbooks; the export writers take the dataclasses the
selectors build. Services (``services.imports``) and selectors feed them.
"""
