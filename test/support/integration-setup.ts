// Booting and stopping apps against a real broker takes seconds (a consumer leaving its group waits for
// the batch in hand), well past Jest's default of 5.
jest.setTimeout(30_000);
