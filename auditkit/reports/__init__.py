"""Reports: one :class:`ReportContext`, rendered as HTML, Excel or terminal text."""
