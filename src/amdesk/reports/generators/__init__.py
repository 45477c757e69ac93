"""One module per report (or family of reports); each registers its classes with
framework.base.register. ReportsConfig.ready() imports every module of this package, so adding a
report is adding a module here."""
