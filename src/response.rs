//! A query response given whole, or in parts so that the module's memory holds a part and a row
//! rather than the whole response: the text of the rows read is dropped as they are read.
//!
//! A part may end anywhere, inside a row or a character. A row, or the text after the rows, that
//! the text given so far does not hold whole is read again once the next part is in (see
//! `table::RowCursor::read_rows`); an error is an error only in the complete text, and names its byte
//! in the whole response. A response whose rows do not come after its first table's columns is
//! kept whole until its last part, and read as one.

use crate::table::{self, Progress, RowCursor, RowSink};
use crate::Result;

/// The response, and the cursor at its rows once they are found.
pub struct Response {
    /// What has been given and not yet dropped: `text[..filled]` (the rest is room kept for the
    /// next part).
    text: Vec<u8>,
    filled: usize,
    /// How many bytes were dropped from the front of `text`.
    dropped: usize,
    /// Every part has been given.
    complete: bool,
    /// The last read stopped at the end of the text given so far.
    hungry: bool,
    cursor: Option<RowCursor>,
    /// The response's top-level `error` member, kept when the text that held it is dropped.
    error: Option<Vec<u8>>,
}

impl Response {
    /// The whole response (UTF-8 JSON text), checked and its rows found (the text after the rows
    /// is checked once they are read).
    pub fn whole(text: Vec<u8>) -> Result<Response> {
        let mut response = Response::in_parts();
        response.filled = text.len();
        response.text = text;
        response.complete = true;
        response.rows()?;
        Ok(response)
    }

    /// A response to be given in parts (UTF-8 JSON text, cut anywhere).
    pub fn in_parts() -> Response {
        Response { text: Vec::new(), filled: 0, dropped: 0, complete: false, hungry: true, cursor: None, error: None }
    }

    /// `len` bytes at the end of the text for the next part to be written into (the text of the
    /// rows read so far is dropped first). Give what was written with [`Response::wrote`].
    pub fn room(&mut self, len: usize) -> &mut [u8] {
        if let Some(cursor) = self.cursor.as_mut().filter(|c| c.read() > 0) {
            let read = cursor.read();
            if let Some(error) = cursor.error.as_ref().filter(|e| e.start < read) {
                self.error = Some(self.text[error.clone()].to_vec());
            }
            self.text.copy_within(read..self.filled, 0);
            self.filled -= read;
            self.dropped += read;
            cursor.dropped(read);
        }
        // The room past `filled` is kept from one part to the next: only growth is zeroed.
        if self.text.len() < self.filled + len {
            self.text.resize(self.filled + len, 0);
        }
        &mut self.text[self.filled..self.filled + len]
    }

    /// `len` bytes of the room were written; `last`: the response ends there.
    pub fn wrote(&mut self, len: usize, last: bool) {
        self.filled += len;
        self.complete = last;
        self.hungry = false;
    }

    /// How many bytes of the response are held (given and not yet dropped).
    #[cfg(test)]
    pub fn held(&self) -> usize {
        self.filled
    }

    /// True when the last read stopped for want of text: give the next part before reading on.
    pub fn hungry(&self) -> bool {
        self.hungry && !self.complete
    }

    /// The cursor at the rows, once the text given holds their start (always, for a whole one).
    pub fn rows(&mut self) -> Result<Option<&RowCursor>> {
        if self.cursor.is_none() {
            let text = &self.text[..self.filled];
            self.cursor = if self.complete { Some(table::begin(text)?) } else { table::begin_part(text) };
        }
        Ok(self.cursor.as_ref())
    }

    /// Reads up to `max` rows into `sink` (see `table::RowCursor::read_rows`).
    pub fn read<'s>(&'s mut self, max: usize, sink: &mut impl RowSink<'s>, warnings: &mut Vec<String>) -> Result<Progress> {
        self.rows()?;
        let progress = match &mut self.cursor {
            Some(cursor) => {
                cursor.read_rows(&self.text[..self.filled], self.complete, max, sink, warnings).map_err(|e| e.at_offset(self.dropped))?
            }
            None => Progress::Hungry,
        };
        self.hungry = progress == Progress::Hungry;
        Ok(progress)
    }

    /// The text of the response's top-level `error` member (a partial result), once read: the
    /// last one, as `JSON.parse` keeps it.
    pub fn error(&self) -> Option<&[u8]> {
        self.cursor.as_ref().and_then(|c| c.error.clone()).map(|e| &self.text[e]).or(self.error.as_deref())
    }
}
