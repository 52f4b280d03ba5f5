package ocr

// CleanPage is cleanPage, for the tests of package ocr_test, which print and scan pages with
// package ocrtest (which imports this one).
var CleanPage = cleanPage
