// Inputs that reach bugs already found and reported (each has a regression test in
// Tests/FloeParquetTests/VerifyRegressionTests.swift). The targets skip them so that fuzzing
// goes on finding new ones; delete a filter once its bug is fixed. None is open today.
import Floe

enum KnownBugs {
}
