package cli

// RereadFingerprints is rereadFingerprints, which serve runs beside the server.
var RereadFingerprints = rereadFingerprints
