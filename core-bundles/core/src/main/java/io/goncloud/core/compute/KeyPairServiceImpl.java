package io.goncloud.core.compute;

import io.goncloud.api.error.ErrorCode;
import io.goncloud.api.error.GcpException;
import io.goncloud.api.model.KeyPair;
import io.goncloud.api.model.Page;
import io.goncloud.api.model.PageRequest;
import io.goncloud.api.service.Caller;
import io.goncloud.api.service.KeyPairService;
import io.goncloud.core.persistence.Database;
import io.goncloud.core.persistence.KeyPairEntity;
import io.goncloud.core.persistence.Paging;
import io.goncloud.core.validation.Check;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import javax.persistence.EntityManager;
import javax.persistence.PersistenceException;
import java.util.List;
import java.util.Map;

/** Key pairs: names are unique per user; generated private keys are returned once and never stored. */
@Component(service = KeyPairService.class)
public class KeyPairServiceImpl implements KeyPairService {

    static final int NAME_MAX = 255;

    private final Database db;

    @Activate
    public KeyPairServiceImpl(@Reference Database db) {
        this.db = db;
    }

    @Override
    public Page<KeyPair> list(Caller caller, PageRequest page) {
        return db.read(em -> caller.isOperator()
                ? Paging.page(em, KeyPairEntity.class, null, Map.of(), page, KeyPairServiceImpl::toModels)
                : Paging.page(em, KeyPairEntity.class, "e.userId = :owner", Map.of("owner", caller.userId()), page,
                KeyPairServiceImpl::toModels));
    }

    @Override
    public KeyPair create(Caller caller, String name) {
        SshKeys.Generated generated = SshKeys.generate();
        KeyPair stored = store(caller, name, generated.publicKey());
        return new KeyPair(stored.id(), stored.name(), stored.fingerprint(), stored.publicKey(),
                generated.privateKeyPem(), stored.createdAt());
    }

    @Override
    public KeyPair importKey(Caller caller, String name, String publicKey) {
        return store(caller, name, SshKeys.parse(publicKey));
    }

    @Override
    public KeyPair get(Caller caller, String keyPairId) {
        return db.read(em -> toModel(find(em, caller, keyPairId)));
    }

    @Override
    public void delete(Caller caller, String keyPairId) {
        db.run(em -> em.remove(find(em, caller, keyPairId)));
    }

    /** The public key of the owner's key pair with this name, or {@code InvalidKeyPair.NotFound}. */
    static KeyPairEntity byName(EntityManager em, String ownerId, String name) {
        List<KeyPairEntity> rows = em.createQuery("SELECT k FROM KeyPairEntity k WHERE k.userId = :owner "
                        + "AND k.name = :name", KeyPairEntity.class)
                .setParameter("owner", ownerId).setParameter("name", name).getResultList();
        if (rows.isEmpty()) {
            throw new GcpException(ErrorCode.KEY_PAIR_NOT_FOUND, "The key pair '" + name + "' does not exist");
        }
        return rows.get(0);
    }

    private KeyPair store(Caller caller, String name, SshKeys.PublicKey key) {
        if (caller.isOperator()) {
            throw new GcpException(ErrorCode.INVALID_PARAMETER_VALUE, "Key pairs belong to users; log in as one");
        }
        String keyName = Check.requiredText(name, "name", NAME_MAX);
        try {
            return db.inTransaction(em -> {
                if (!em.createQuery("SELECT k.id FROM KeyPairEntity k WHERE k.userId = :owner AND k.name = :name")
                        .setParameter("owner", caller.userId()).setParameter("name", keyName).getResultList().isEmpty()) {
                    throw duplicate(keyName);
                }
                KeyPairEntity row = new KeyPairEntity();
                row.id = Database.newId();
                row.userId = caller.userId();
                row.name = keyName;
                row.publicKey = key.line();
                row.fingerprint = key.fingerprint();
                row.createdAt = Database.now();
                em.persist(row);
                em.flush();
                return toModel(row);
            });
        } catch (PersistenceException e) {
            throw duplicate(keyName); // a concurrent create took the name between the check and the insert
        }
    }

    private static KeyPairEntity find(EntityManager em, Caller caller, String keyPairId) {
        String id = Check.id(keyPairId, ErrorCode.KEY_PAIR_NOT_FOUND, "key pair id");
        KeyPairEntity row = em.find(KeyPairEntity.class, id);
        if (row == null || !caller.canSee(row.userId)) {
            throw new GcpException(ErrorCode.KEY_PAIR_NOT_FOUND, "The key pair '" + keyPairId + "' does not exist");
        }
        return row;
    }

    private static GcpException duplicate(String name) {
        return new GcpException(ErrorCode.KEY_PAIR_DUPLICATE, "The key pair '" + name + "' already exists");
    }

    private static List<KeyPair> toModels(List<KeyPairEntity> rows) {
        return rows.stream().map(KeyPairServiceImpl::toModel).toList();
    }

    private static KeyPair toModel(KeyPairEntity row) {
        return new KeyPair(row.id, row.name, row.fingerprint, row.publicKey, null, row.createdAt.toInstant());
    }
}
