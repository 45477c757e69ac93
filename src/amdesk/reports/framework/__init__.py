"""The report framework: a report is a generator class (base.Report) registered by code; it gathers
its data through selectors in the viewer's scope into a ReportData (sections of tables, charts and
texts), which one formatter per output renders: the page, .xlsx and a print-ready PDF."""
