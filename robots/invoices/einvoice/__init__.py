"""Structured e-invoices: XML files and the XML embedded in Factur-X / ZUGFeRD PDFs.

``backoffice.xmlsafe`` parses the untrusted XML, ``detect`` picks the format's mapper by
the root element, one module per format maps it to ``robots.invoices.fields.Invoice``
(``cii``, ``ubl``, ...), ``common`` holds what the mappers share.
"""
