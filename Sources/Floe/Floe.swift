// The Floe library: one import for the whole engine.
@_exported import FloeCore
@_exported import FloeCodecs
@_exported import FloeThrift
@_exported import FloeFormat
@_exported import FloeEncodings
@_exported import FloeColumns
@_exported import FloeParquet
@_exported import FloeJSON
@_exported import FloeConvert
@_exported import FloeScan
