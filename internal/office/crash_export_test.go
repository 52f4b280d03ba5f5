package office

// SetInitStep has f called with the name of each step of Init once it is done, for crash
// tests that kill the process there.
func SetInitStep(f func(step string)) { initStep = f }
