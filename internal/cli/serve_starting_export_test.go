package cli

// SetServeOpening has f called once serve answers on its listener, before it opens the data
// directory, with the listener's address and the function that stops serve.
func SetServeOpening(f func(addr string, stop func())) { serveOpening = f }
