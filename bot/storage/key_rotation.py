"""Re-encrypt everything under the first data key (``python -m bot rotate-key``).

Put the new key first in ``DATA_KEY`` and keep the old one after it
(``DATA_KEY=new,old``): the bot reads with both meanwhile. After this has run,
every token is under the new key and the old one can be dropped.
"""

from __future__ import annotations

from sqlalchemy import column, select, table, update

from bot.storage.database import KEY_CHECK, Database
from bot.storage.encryption import DataCipher, EncryptedText
from bot.storage.models import Base


def encrypted_columns() -> list[tuple[str, str]]:
    """(table, column) of every encrypted column."""
    return [
        (t.name, c.name)
        for t in Base.metadata.sorted_tables
        for c in t.columns
        if isinstance(c.type, EncryptedText)
    ]


def _primary_key(table_name: str) -> str:
    """The name of the one primary-key column of a table (``id``, or the inbox's ``update_id``)."""
    [key] = Base.metadata.tables[table_name].primary_key.columns
    return str(key.name)


async def rotate(database: Database, cipher: DataCipher) -> int:
    """Re-encrypt every token under the cipher's first key; returns how many were."""
    count = 0
    async with database.session() as session, session.begin():
        for table_name, column_name in encrypted_columns():
            # Untyped table objects: the raw tokens, not the decrypted texts.
            key = _primary_key(table_name)
            raw = table(table_name, column(key), column(column_name))
            rows = (await session.execute(select(raw.c[key], raw.c[column_name]))).all()
            for row_id, token in rows:
                if token is None:
                    continue
                await session.execute(
                    update(raw)
                    .where(raw.c[key] == row_id)
                    .values({column_name: cipher.rotate(token)})
                )
                count += 1
        meta = table("meta", column("key"), column("value"))
        token = await session.scalar(select(meta.c.value).where(meta.c.key == KEY_CHECK))
        if token is not None:
            await session.execute(
                update(meta).where(meta.c.key == KEY_CHECK).values(value=cipher.rotate(token))
            )
    return count
