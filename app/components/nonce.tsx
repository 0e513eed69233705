import { createContext, useContext } from 'react'

// The per-request Content-Security-Policy nonce for Remix's inline scripts. Set on the server by
// entry.server.tsx; in the browser it is empty (the scripts already ran, and browsers hide it).
const NonceContext = createContext('')

export const NonceProvider = NonceContext.Provider
export const useNonce = () => useContext(NonceContext)
